using System.Collections.Concurrent;

namespace Blog.Feeds;

/// <summary>
/// The output tree on disk, and the only writer of it. A file is replaced by writing a temporary file beside it and
/// renaming it over the old one, so a reader (or a crash) never sees half a feed; a file whose bytes did not change is
/// not touched at all. It remembers whether the last write failed, so the next one catches up.
/// </summary>
public sealed class OutputFolder(string root)
{
    private const string TempSuffix = ".tmp";
    private readonly Lock writing = new();

    // Until a write has fully succeeded (the first, or after a failure) the next writes every document and prunes:
    // what is on disk is not known to match the previous build.
    private bool behind = true;
    private volatile string? error;

    public string Root { get; } = root;

    /// <summary>Why the last <see cref="Write(FeedBuild, bool, CancellationToken)"/> could not write everything, or null when it could.</summary>
    public string? Error => error;

    /// <summary>
    /// Brings the folder in line with <paramref name="build"/>: writes what changed since the last build (everything
    /// while behind) and removes the feed files it no longer has. A file that cannot be written holds up no other.
    /// </summary>
    /// <param name="whole">Compare every document with its file, not only the changed ones: the folder may have been edited meanwhile.</param>
    public OutputReport Write(FeedBuild build, bool whole = false, CancellationToken cancellationToken = default)
    {
        lock (writing)
        {
            whole |= behind;
            var tally = new Tally(this);
            Parallel.ForEach(whole ? build.Documents.Values : build.Changed, new ParallelOptions { CancellationToken = cancellationToken }, tally.Add);
            return Finish(tally, whole || !build.Removed.IsEmpty ? build.Documents.Keys : null, stillBehind: false);
        }
    }

    /// <summary>
    /// A whole write that never holds the tree: <paramref name="build"/> is handed a sink, gives it each document
    /// (from several threads at once, and may reuse its bytes once the sink returns), and returns its build, whose
    /// <see cref="FeedBuild.Paths"/> are every file of the tree; then the feed files not among them are removed. Each
    /// document is compared with its file, as by a whole <see cref="Write(FeedBuild, bool, CancellationToken)"/>.
    /// </summary>
    public (FeedBuild Build, OutputReport Report) Write(Func<Action<FeedDocument>, FeedBuild> build, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(build);
        lock (writing)
        {
            var tally = new Tally(this);
            var made = build(tally.Add);
            cancellationToken.ThrowIfCancellationRequested();
            // What was streamed is gone, so the next (incremental) write has no previous build to go by: it looks at everything.
            return (made, Finish(tally, made.Paths, stillBehind: true));
        }
    }

    private OutputReport Finish(Tally tally, IEnumerable<string>? keep, bool stillBehind)
    {
        var failures = tally.Failures;
        var removed = 0;
        if (keep is not null && TryPrune(keep, out removed) is { } pruneFailure) failures.Add(pruneFailure);
        // Readers are served from memory meanwhile; the files catch up on a later write.
        behind = stillBehind || !failures.IsEmpty;
        error = failures.IsEmpty ? null : Describe(failures);
        return new OutputReport([.. tally.Written.OrderBy(d => d.Path, StringComparer.Ordinal)], tally.Unchanged, removed,
            [.. failures.OrderBy(f => f.Path, StringComparer.Ordinal)]);
    }

    /// <returns>True when the file was written, false when it already held these bytes.</returns>
    public bool Write(FeedDocument document)
    {
        var path = Resolve(document.Path);
        if (HasBytes(path, document.Bytes)) return false;

        var folder = Path.GetDirectoryName(path)!;
        Directory.CreateDirectory(folder);
        var temp = Path.Combine(folder, $".{Path.GetFileName(path)}.{Guid.NewGuid():N}{TempSuffix}");
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 1))
            {
                stream.Write(document.Bytes.Span);
                // Flushed to disk before the rename, or a power cut could leave the new name on empty blocks.
                stream.Flush(flushToDisk: true);
            }
            File.Move(temp, path, overwrite: true);
            return true;
        }
        catch
        {
            File.Delete(temp);
            throw;
        }
    }

    /// <summary>
    /// Writes one document, or says why it could not: one file that cannot be written (a name the file system refuses,
    /// a file where its folder should be) must never keep the others from being written.
    /// </summary>
    /// <param name="written">True when the file was written, false when it already held these bytes or failed.</param>
    /// <returns>Null on success, else the document's path and the reason.</returns>
    private OutputFailure? TryWrite(FeedDocument document, out bool written)
    {
        try
        {
            written = Write(document);
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            written = false;
            return new OutputFailure(document.Path, e.Message);
        }
    }

    /// <summary>
    /// <see cref="Prune"/>, or says why it could not: a stale file left behind is harmless, and the next pass tries again.
    /// </summary>
    /// <returns>Null on success, else what failed.</returns>
    private OutputFailure? TryPrune(IEnumerable<string> keep, out int removed)
    {
        try
        {
            removed = Prune(keep);
            return null;
        }
        catch (Exception e) when (Failure(e) is { } failure)
        {
            removed = 0;
            return new OutputFailure("", "cannot remove stale files: " + failure.Message);
        }
    }

    /// <summary>One line for a log or an error: how many failed, and the first few of them.</summary>
    private string Describe(ConcurrentBag<OutputFailure> failures)
    {
        const int Shown = 3;
        var first = string.Join("; ", failures.OrderBy(f => f.Path, StringComparer.Ordinal).Take(Shown).Select(f => $"{f.Path}: {f.Reason}"));
        return $"cannot write {failures.Count} file(s) to {Root}: {first}{(failures.Count > Shown ? "; …" : "")}";
    }

    /// <summary>
    /// Deletes the feed files of this tree that <paramref name="keep"/> no longer names (a tag nobody uses any more,
    /// an archive page beyond the last) and temporary files a crash left behind. Files it did not make are left alone.
    /// </summary>
    /// <returns>How many files were deleted.</returns>
    public int Prune(IEnumerable<string> keep)
    {
        var wanted = keep.Select(Resolve).ToHashSet(StringComparer.Ordinal);
        var removed = 0;
        foreach (var file in OwnedFiles())
        {
            if (wanted.Contains(file)) continue;
            File.Delete(file);
            removed++;
        }
        var tags = Path.Combine(Root, "tags");
        if (Directory.Exists(tags))
        {
            foreach (var folder in Directory.EnumerateDirectories(tags))
                if (!Directory.EnumerateFileSystemEntries(folder).Any()) Directory.Delete(folder);
        }
        return removed;
    }

    private IEnumerable<string> OwnedFiles()
    {
        var folders = new List<string> { Root };
        var tags = Path.Combine(Root, "tags");
        if (Directory.Exists(tags)) folders.AddRange(Directory.EnumerateDirectories(tags));
        foreach (var folder in folders.Where(Directory.Exists))
        {
            foreach (var name in FeedBuilder.FileNames.Append(FollowPageWriter.FileName))
            {
                var file = Path.Combine(folder, name);
                if (File.Exists(file)) yield return file;
            }
            foreach (var temp in Directory.EnumerateFiles(folder, "*" + TempSuffix).Where(IsOurTemp))
                yield return temp;
        }
        var archive = Path.Combine(Root, "archive");
        if (Directory.Exists(archive))
        {
            foreach (var file in Directory.EnumerateFiles(archive))
            {
                var name = Path.GetFileName(file);
                if ((name.EndsWith(".xml", StringComparison.Ordinal) && int.TryParse(name[..^4], out _)) || IsOurTemp(file))
                    yield return file;
            }
        }
    }

    /// <summary>The I/O failure inside <paramref name="e"/> (parallel writes wrap theirs), or null when it is something else.</summary>
    public static Exception? Failure(Exception e) => e switch
    {
        IOException or UnauthorizedAccessException => e,
        AggregateException a => a.Flatten().InnerExceptions.FirstOrDefault(i => i is IOException or UnauthorizedAccessException),
        _ => null,
    };

    // What one write did, document by document, from several threads at once.
    private sealed class Tally(OutputFolder folder)
    {
        private int unchanged;

        public ConcurrentBag<FeedDocument> Written { get; } = [];

        public ConcurrentBag<OutputFailure> Failures { get; } = [];

        public int Unchanged => unchanged;

        public void Add(FeedDocument document)
        {
            if (folder.TryWrite(document, out var wrote) is { } failure) Failures.Add(failure);
            else if (wrote) Written.Add(document);
            else Interlocked.Increment(ref unchanged);
        }
    }

    private static bool IsOurTemp(string path) =>
        Path.GetFileName(path) is var name && name.StartsWith('.') && name.EndsWith(TempSuffix, StringComparison.Ordinal);

    private string Resolve(string relative) => Path.GetFullPath(Path.Combine(Root, relative));

    private static bool HasBytes(string path, ReadOnlyMemory<byte> bytes)
    {
        try
        {
            var info = new FileInfo(path);
            return info.Exists && info.Length == bytes.Length && File.ReadAllBytes(path).AsSpan().SequenceEqual(bytes.Span);
        }
        catch (IOException)
        {
            return false;
        }
    }
}

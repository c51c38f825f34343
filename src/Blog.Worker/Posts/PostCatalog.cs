namespace Blog.Posts;

/// <summary>
/// The running service's memory of the post folder. A refresh re-reads only files whose size or modification time
/// changed, so an edit costs one file, not the whole blog. A file that turns bad keeps its last good version
/// published until it is fixed or deleted. Not thread-safe: one refresh at a time.
/// </summary>
public sealed class PostCatalog(PostStore store)
{
    private readonly Dictionary<string, Entry> entries = new(StringComparer.Ordinal);

    public string ContentPath => store.ContentPath;

    /// <summary>
    /// Brings the catalog up to date with the folder: every file when <paramref name="paths"/> is null (a full
    /// rescan, which also notices deletions), else only the named paths.
    /// </summary>
    /// <returns>Whether any post or problem changed.</returns>
    /// <exception cref="PostStoreException">The post folder cannot be read; the catalog keeps what it had.</exception>
    /// <param name="progress">Told how many files of a full rescan were read, every thousand and at the end.</param>
    public bool Refresh(IReadOnlyCollection<string>? paths = null, IProgress<int>? progress = null, CancellationToken cancellationToken = default)
    {
        store.EnsureFolder();
        var changed = false;
        if (paths is null)
        {
            var seen = new HashSet<string>(StringComparer.Ordinal);
            var stale = new List<(string Path, long Size, DateTime Modified)>();
            foreach (var file in store.List())
            {
                seen.Add(file.Path);
                if (!entries.TryGetValue(file.Path, out var entry) || entry.Size != file.Size || entry.Modified != file.Modified)
                    stale.Add(file);
            }
            var reads = new (Post?, PostProblem?)[stale.Count];
            var done = 0;
            Parallel.For(0, stale.Count, new ParallelOptions { CancellationToken = cancellationToken }, i =>
            {
                reads[i] = store.Read(stale[i].Path);
                if (Interlocked.Increment(ref done) is var n && n % 1000 == 0) progress?.Report(n);
            });
            progress?.Report(stale.Count);
            for (var i = 0; i < stale.Count; i++) changed |= Apply(stale[i].Path, stale[i].Size, stale[i].Modified, reads[i]);
            foreach (var gone in entries.Keys.Where(p => !seen.Contains(p)).ToList())
                changed |= entries.Remove(gone);
            return changed;
        }

        foreach (var path in paths)
        {
            var full = Path.GetFullPath(path);
            var info = new FileInfo(full);
            if (!info.Exists || !store.IsPost(full))
            {
                changed |= entries.Remove(full);
                continue;
            }
            if (entries.TryGetValue(full, out var entry) && entry.Size == info.Length && entry.Modified == info.LastWriteTimeUtc)
                continue;
            changed |= Apply(full, info.Length, info.LastWriteTimeUtc, store.Read(full));
        }
        return changed;
    }

    /// <summary>The posts as readers should see them: each file's last good version, and the current problems.</summary>
    public PostSnapshot Snapshot()
    {
        // Plain loops: this runs on every edit, over every post.
        var posts = new List<Post>(entries.Count);
        var problems = new List<PostProblem>();
        foreach (var entry in entries.Values)
        {
            if (entry.LastGood is { } post) posts.Add(post);
            if (entry.Problem is { } problem) problems.Add(problem);
        }
        return PostSnapshot.Create(posts, problems);
    }

    /// <summary>A post's Markdown body, read again from its file; null when it vanished or no longer splits.</summary>
    public string? Body(Post post) => store.ReadBody(post);

    private bool Apply(string path, long size, DateTime modified, (Post? Post, PostProblem? Problem) read)
    {
        entries.TryGetValue(path, out var old);
        var entry = new Entry(size, modified, read.Post ?? old?.LastGood, read.Problem);
        entries[path] = entry;
        return old is null || !ReferenceEquals(old.LastGood, entry.LastGood) || old.Problem != entry.Problem;
    }

    private sealed record Entry(long Size, DateTime Modified, Post? LastGood, PostProblem? Problem);
}

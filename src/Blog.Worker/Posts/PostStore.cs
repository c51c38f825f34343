using System.IO.Enumeration;
using Microsoft.Win32.SafeHandles;

namespace Blog.Posts;

/// <summary>Reads the post folder. The only part of the Posts feature that touches the file system.</summary>
public sealed class PostStore(IOptions<PostsOptions> options, PostParser parser)
{
    private static readonly EnumerationOptions MarkdownFiles = new()
    {
        RecurseSubdirectories = true,
        // A folder that cannot be read is an error to report, not posts to lose quietly.
        IgnoreInaccessible = false,
        AttributesToSkip = FileAttributes.Hidden,
    };

    /// <summary>A Markdown post larger than this is surely a mistake (a log or a binary saved as .md).</summary>
    public const long MaxPostBytes = 32 << 20;

    public string ContentPath => options.Value.ContentPath;

    /// <summary>Every post file below the content folder, with what tells whether it changed since it was last read.</summary>
    /// <exception cref="PostStoreException">The folder cannot be read.</exception>
    public List<(string Path, long Size, DateTime Modified)> List() =>
        Collect(static (ref FileSystemEntry e) => (e.ToFullPath(), e.Length, e.LastWriteTimeUtc.UtcDateTime));

    /// <exception cref="PostStoreException">The folder is gone.</exception>
    public void EnsureFolder()
    {
        // A folder that is gone (unmounted, moved) is an outage, not the deletion of every post.
        if (!Directory.Exists(ContentPath)) throw new PostStoreException(ContentPath, "the folder does not exist");
    }

    private List<T> Collect<T>(FileSystemEnumerable<T>.FindTransform transform)
    {
        EnsureFolder();
        // Each listing looks again: the folder may have been remounted or relinked since the last.
        realContentPath = RealPath(ContentPath);
        try
        {
            return [.. Enumerate(transform)];
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new PostStoreException(ContentPath, e.Message, e);
        }
    }

    // One rule for what is a post file; the projection is the caller's, so a build that needs only paths stats nothing.
    private FileSystemEnumerable<T> Enumerate<T>(FileSystemEnumerable<T>.FindTransform transform) =>
        new(ContentPath, transform, MarkdownFiles)
        {
            ShouldIncludePredicate = static (ref FileSystemEntry e) => !e.IsDirectory && e.FileName.EndsWith(".md", StringComparison.OrdinalIgnoreCase),
            // A folder link could lead out of the content folder, or back into it (`ln -s . loop`, walked 40 levels deep
            // and, with two, without end): links are never walked. A linked .md file is listed, to be reported by Read.
            ShouldRecursePredicate = static (ref FileSystemEntry e) => (e.Attributes & FileAttributes.ReparsePoint) == 0,
        };

    /// <summary>Whether a path names a file <see cref="List"/> would list: a visible <c>*.md</c> below the content folder.</summary>
    public bool IsPost(string path) =>
        path.EndsWith(".md", StringComparison.OrdinalIgnoreCase)
        && path.StartsWith(Path.TrimEndingDirectorySeparator(ContentPath) + Path.DirectorySeparatorChar, StringComparison.Ordinal)
        && !Path.GetFileName(path).StartsWith('.');

    /// <summary>
    /// Reads a post's Markdown body again. Null when the file vanished, became a link, or no longer splits since it
    /// was loaded.
    /// </summary>
    public string? ReadBody(Post post)
    {
        try
        {
            // Only ever a file the folder listing would name: a post's path is never a way to read some other file.
            if (!IsPost(post.SourcePath) || IsLink(post.SourcePath)) return null;
            using var handle = File.OpenHandle(post.SourcePath);
            var real = Path.Join(RealPath(Path.GetDirectoryName(Path.GetFullPath(post.SourcePath))!), Path.GetFileName(post.SourcePath));
            if (!OpenedIs(handle, real)) return null;
            var length = RandomAccess.GetLength(handle);
            if (length > MaxPostBytes) return null;
            var bytes = new byte[length];
            var file = bytes.AsSpan(0, ReadAll(handle, bytes));
            return FrontMatter.TrySplit(file, out var split, out _) ? split.Body(file) : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>Reads until <paramref name="into"/> is full or the file ends (it may have shrunk since its length was read).</summary>
    private static int ReadAll(SafeFileHandle handle, Span<byte> into)
    {
        var read = 0;
        while (read < into.Length && RandomAccess.Read(handle, into[read..], read) is var n and > 0) read += n;
        return read;
    }

    private const string LinkMessage = "is a symbolic link; posts are read only from regular files";

    private static bool IsLink(string path) => new FileInfo(path).LinkTarget is not null;

    // Linux names the file an open handle reads: what was opened, whatever was swapped in after the path was checked.
    private static readonly bool ProcFd = OperatingSystem.IsLinux() && Directory.Exists("/proc/self/fd");

    /// <summary>
    /// Whether the open file is the one at <paramref name="realPath"/>, not one a link swapped in after the check led
    /// to. Where the system cannot tell, the check before opening stands alone.
    /// </summary>
    private static bool OpenedIs(SafeFileHandle handle, string realPath) =>
        !ProcFd || string.Equals(new FileInfo($"/proc/self/fd/{handle.DangerousGetHandle()}").LinkTarget, realPath, StringComparison.Ordinal);

    /// <summary>The path with every symbolic link in it resolved, like realpath(3); the path as given when links loop.</summary>
    internal static string RealPath(string path)
    {
        var full = Path.GetFullPath(path);
        var root = Path.GetPathRoot(full)!;
        var pending = new Stack<string>(full[root.Length..].Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries).Reverse());
        var resolved = root;
        for (var hops = 0; pending.TryPop(out var part);)
        {
            if (part == ".") continue;
            if (part == "..")
            {
                resolved = Path.GetDirectoryName(resolved) ?? root;
                continue;
            }
            var next = Path.Join(resolved, part);
            if (new FileInfo(next).LinkTarget is { } target)
            {
                // The kernel gives up after 40 links too.
                if (++hops > 40) return full;
                foreach (var t in target.Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries).Reverse()) pending.Push(t);
                if (Path.IsPathRooted(target)) resolved = root;
                continue;
            }
            resolved = next;
        }
        return resolved;
    }

    // The content folder's own path may hold links (a mount, a folder moved and linked back); below it, none may.
    private string? realContentPath;

    private string RealContentPath => realContentPath ??= RealPath(ContentPath);

    // Reused per thread: the parser keeps nothing that points into the bytes, and allocating (and zeroing) a fresh
    // array for each of thousands of files was a large part of a build's time.
    [ThreadStatic]
    private static byte[]? readBuffer;

    /// <summary>Reads and parses one post file; never throws for what is in or about the file.</summary>
    public (Post? Post, PostProblem? Problem) Read(string path)
    {
        ReadOnlySpan<byte> bytes;
        try
        {
            // Following a link could read any file the service may read (its signing key) into a problem's value.
            if (IsLink(path)) return (null, new PostProblem(path, 0, "(file)", "", LinkMessage));
            var full = Path.GetFullPath(path);
            var relative = Path.GetRelativePath(Path.GetFullPath(ContentPath), full);
            if (relative == ".." || relative.StartsWith(".." + Path.DirectorySeparatorChar, StringComparison.Ordinal) || Path.IsPathRooted(relative))
                return (null, new PostProblem(path, 0, "(file)", "", "is not inside the content folder"));
            using var handle = File.OpenHandle(path);
            if (!OpenedIs(handle, Path.Join(RealContentPath, relative)))
                return (null, new PostProblem(path, 0, "(file)", "", "is reached through a symbolic link; posts are read only from regular files inside the content folder"));
            var length = RandomAccess.GetLength(handle);
            if (length > MaxPostBytes)
                return (null, new PostProblem(path, 0, "(file)", $"{length} bytes", $"is larger than a post can be ({MaxPostBytes / (1 << 20)} MiB)"));
            var buffer = readBuffer is { } b && b.Length >= length ? b : readBuffer = new byte[Math.Max(length, 64 * 1024)];
            bytes = buffer.AsSpan(0, ReadAll(handle, buffer.AsSpan(0, (int)length)));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return (null, new PostProblem(path, 0, "(file)", "", "cannot be read: " + e.Message));
        }
        try
        {
            return parser.Parse(path, bytes);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // One post must never stop the others from publishing, whatever a parsing library throws.
            return (null, new PostProblem(path, 1, "(file)", "", $"could not be parsed ({e.GetType().Name}: {e.Message})"));
        }
    }
}

namespace Blog.Posts;

/// <summary>Reads the post folder. The only part of the Posts feature that touches the file system.</summary>
public sealed class PostStore(IOptions<PostsOptions> options, PostParser parser)
{
    private static readonly EnumerationOptions MarkdownFiles = new()
    {
        RecurseSubdirectories = true,
        MatchCasing = MatchCasing.CaseInsensitive,
        IgnoreInaccessible = false,
        AttributesToSkip = FileAttributes.Hidden,
    };

    public string ContentPath => options.Value.ContentPath;

    public PostSnapshot Load(IProgress<int>? progress = null, CancellationToken cancellationToken = default)
    {
        var files = Directory.EnumerateFiles(ContentPath, "*.md", MarkdownFiles).Order(StringComparer.Ordinal).ToArray();
        var results = new (Post?, PostProblem?)[files.Length];
        var done = 0;
        Parallel.For(0, files.Length, new ParallelOptions { CancellationToken = cancellationToken }, i =>
        {
            results[i] = ReadOne(files[i]);
            var n = Interlocked.Increment(ref done);
            if (n % 1000 == 0) progress?.Report(n);
        });
        progress?.Report(files.Length);
        return PostSnapshot.Create(results.Select(r => r.Item1).OfType<Post>(), results.Select(r => r.Item2).OfType<PostProblem>());
    }

    /// <summary>Reads a post's Markdown body again. Null when the file vanished or no longer splits since it was loaded.</summary>
    public static string? ReadBody(Post post)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(post.SourcePath);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
        return FrontMatter.TrySplit(bytes, out var split, out _) ? split.Body(bytes) : null;
    }

    private (Post?, PostProblem?) ReadOne(string path)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
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

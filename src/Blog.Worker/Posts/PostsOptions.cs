namespace Blog.Posts;

/// <summary>Where the posts are. Bound from the <c>Posts</c> section; <c>--content DIR</c> sets <see cref="ContentPath"/>.</summary>
public sealed class PostsOptions
{
    public const string Section = "Posts";

    /// <summary>The folder of <c>*.md</c> files, searched recursively. Relative paths resolve against the working directory.</summary>
    public string ContentPath { get; set; } = "content/posts";

    /// <summary>How often the running service re-reads the whole folder, for changes its watcher missed.</summary>
    public TimeSpan RescanInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// False for commands that only consult the posts (for the tags a subscriber may choose): a missing folder then
    /// means no tags, not a settings error. Not a setting; internal, so the binder leaves it alone.
    /// </summary>
    internal bool FolderRequired { get; set; } = true;

    /// <summary>How long the running service lets a burst of file events settle before republishing.</summary>
    public TimeSpan Debounce { get; set; } = TimeSpan.FromMilliseconds(50);
}

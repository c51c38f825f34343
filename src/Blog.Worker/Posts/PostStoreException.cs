namespace Blog.Posts;

/// <summary>The post folder itself cannot be read (gone, unmounted, not permitted). One post that cannot be read is a <see cref="PostProblem"/> instead.</summary>
public sealed class PostStoreException(string folder, string reason, Exception? inner = null)
    : Exception($"cannot read the posts in {folder}: {reason}", inner)
{
    public string Folder { get; } = folder;
    public string Reason { get; } = reason;
}

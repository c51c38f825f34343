namespace Blog.Feeds;

/// <summary>One file of the output tree: its path below the output root (forward slashes) and its bytes.</summary>
public sealed record FeedDocument(string Path, byte[] Bytes);

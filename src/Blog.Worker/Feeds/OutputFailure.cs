namespace Blog.Feeds;

/// <summary>A document of the output tree that could not be written, and why; the others were written regardless.</summary>
/// <param name="Path">Below the output root, with forward slashes, as the site serves it.</param>
public sealed record OutputFailure(string Path, string Reason);

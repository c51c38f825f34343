namespace Blog.Posts;

/// <summary>
/// A post's metadata as read from its front matter. The body is not kept: only the few posts that
/// appear in a feed are rendered, and their bodies are read again then (see <see cref="PostStore"/>).
/// </summary>
public sealed record Post(
    string SourcePath,
    string Slug,
    string Id,
    string Title,
    DateTimeOffset Published,
    DateTimeOffset Updated,
    string? Summary,
    ImmutableArray<string> Tags,
    bool Draft)
{
    /// <summary>Lines of the fields that duplicate checks report; 1 (the opening fence) where the value was derived.</summary>
    public int SlugLine { get; init; } = 1;
    public int IdLine { get; init; } = 1;
    public bool HasExplicitId { get; init; }

    /// <summary>The tags as URL-safe keys (<see cref="Posts.Slug.TagKey"/>), computed once: feeds are planned on every edit.</summary>
    public ImmutableArray<string> TagKeys { get; } = [.. Tags.Select(Posts.Slug.TagKey)];
}

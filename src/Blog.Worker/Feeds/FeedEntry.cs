using Blog.Posts;

namespace Blog.Feeds;

/// <summary>A post as a feed shows it: XML-safe text, an absolute link, and HTML content where the feed carries it.</summary>
public sealed record FeedEntry(string Id, string Title, Uri Link, DateTimeOffset Published, DateTimeOffset Updated,
    string? Summary, FeedContent? Content, ImmutableArray<string> Tags)
{
    public static FeedEntry From(Post post, Uri link, string? summary, FeedContent? content) => new(
        XmlText.Clean(post.Id),
        XmlText.Clean(post.Title),
        link,
        post.Published,
        post.Updated,
        XmlText.CleanOrNull(summary),
        content,
        [.. post.Tags.Select(XmlText.Clean)]);
}

namespace Blog.Feeds;

/// <summary>Feed-level metadata shared by the three formats of one feed. All text is XML-safe.</summary>
public sealed record FeedHeader(
    string Title,
    string Description,
    string Language,
    string AuthorName,
    string? AuthorEmail,
    Uri Home,
    Uri Rss,
    Uri Atom,
    Uri Json,
    ImmutableArray<Uri> Hubs)
{
    /// <summary>The newest entry's update time, never the build time, so equal input gives equal bytes.</summary>
    public static DateTimeOffset UpdatedOf(IReadOnlyCollection<FeedEntry> entries) =>
        entries.Count == 0 ? DateTimeOffset.UnixEpoch : entries.Max(e => e.Updated);
}

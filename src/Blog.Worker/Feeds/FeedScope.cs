namespace Blog.Feeds;

/// <summary>Which posts a feed is about: the whole blog, or one tag. Decides the feed's folder in the output tree.</summary>
public sealed record FeedScope(string? TagKey, string? TagName)
{
    public static readonly FeedScope Main = new(null, null);

    public static FeedScope ForTag(string key, string name) => new(key, name);

    /// <summary>The tag scopes among <paramref name="scopes"/>, by name.</summary>
    public static ImmutableArray<FeedScope> TagsOf(IEnumerable<FeedScope> scopes) =>
        [.. scopes.Where(s => s.TagKey is not null).OrderBy(s => s.TagName, StringComparer.OrdinalIgnoreCase).ThenBy(s => s.TagKey, StringComparer.Ordinal)];

    /// <summary>The folder below the output root, with a trailing slash, or empty for the main feeds.</summary>
    public string Folder => TagKey is null ? "" : $"tags/{TagKey}/";
}

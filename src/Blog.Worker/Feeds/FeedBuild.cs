using Blog.Posts;

namespace Blog.Feeds;

/// <summary>What one pass of the <see cref="FeedPipeline"/> made: every document of the feed tree, and what changed since the pass before.</summary>
/// <param name="Snapshot">The posts the pass read, problems included.</param>
/// <param name="Published">What readers may see, newest first.</param>
/// <param name="Documents">
/// Every document of the tree by path (forward slashes); one whose bytes did not change is the previous pass's instance.
/// Empty after <see cref="FeedPipeline.Stream"/>, which keeps none.
/// </param>
/// <param name="Changed">Documents whose bytes differ from the previous pass (all of them on the first).</param>
/// <param name="Removed">Paths the previous pass had and this one has not.</param>
public sealed record FeedBuild(
    PostSnapshot Snapshot,
    ImmutableArray<Post> Published,
    FeedSet Set,
    ImmutableDictionary<string, FeedDocument> Documents,
    ImmutableArray<FeedDocument> Changed,
    ImmutableArray<string> Removed,
    DateTimeOffset BuiltAt,
    DateTimeOffset? NextScheduled)
{
    /// <summary>The tag feeds, by name: what the index page lists and what a subscriber can choose from.</summary>
    public ImmutableArray<FeedScope> Tags { get; } = FeedScope.TagsOf(Set.Feeds.Select(f => f.Scope));

    /// <summary>Every path of the tree, in ordinal order: after a streamed pass, what is left of its documents.</summary>
    public ImmutableArray<string> Paths { get; init; } = [];

    /// <summary>Time spent planning, rendering Markdown, and building (and comparing) the documents.</summary>
    public (TimeSpan Plan, TimeSpan Render, TimeSpan Build) Phases { get; init; }
}

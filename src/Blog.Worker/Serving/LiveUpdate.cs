using Blog.Posts;

namespace Blog.Serving;

/// <summary>What one update of the live site changed.</summary>
public sealed record LiveUpdate(
    ImmutableArray<ServedDocument> Changed,
    ImmutableArray<string> Removed,
    ImmutableArray<PostProblem> Problems,
    int Published,
    DateTimeOffset? NextScheduled,
    TimeSpan Elapsed);

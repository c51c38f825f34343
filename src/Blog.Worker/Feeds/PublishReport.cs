using Blog.Posts;

namespace Blog.Feeds;

/// <summary>What one build did, for the CLI's summary and the service's log.</summary>
public sealed record PublishReport(
    int PostFiles,
    int Published,
    int Feeds,
    int ArchivePages,
    int Written,
    int Unchanged,
    int Removed,
    ImmutableArray<PostProblem> Problems,
    DateTimeOffset? NextScheduled,
    TimeSpan Elapsed)
{
    /// <summary>Time spent reading and parsing the post files, rendering Markdown, and building and writing the documents.</summary>
    public (TimeSpan Read, TimeSpan Render, TimeSpan Write) Phases { get; init; }

    /// <summary>Documents that could not be written; every other one was.</summary>
    public ImmutableArray<OutputFailure> Failures { get; init; } = [];
}

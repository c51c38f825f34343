using Blog.Posts;

namespace Blog.Serving;

/// <summary>What one update of the live site changed.</summary>
/// <param name="Changed">Documents whose served bytes changed.</param>
/// <param name="Written">Files whose bytes on disk changed: after a restart with nothing new, none, however much was served anew.</param>
public sealed record LiveUpdate(
    ImmutableArray<ServedDocument> Changed,
    ImmutableArray<ServedDocument> Written,
    ImmutableArray<string> Removed,
    ImmutableArray<PostProblem> Problems,
    int Published,
    DateTimeOffset? NextScheduled,
    TimeSpan Elapsed)
{
    /// <summary>Milliseconds spent refreshing the catalog, planning, rendering, building documents, and writing files.</summary>
    public string Phases { get; init; } = "";

    /// <summary>Time from the start of the update until the new site was being served.</summary>
    public TimeSpan ServedAfter { get; init; }

    /// <summary>The catalogue's posts the update published from: what digests read too (<see cref="PublishedPosts"/>).</summary>
    public required PostSnapshot Snapshot { get; init; }
}

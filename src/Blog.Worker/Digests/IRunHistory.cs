namespace Blog.Digests;

/// <summary>
/// What the console reads about past runs and the posts they carried, beyond the ledger's own counts
/// (<see cref="IDigestLedger.RunsAsync"/>, <see cref="Feedback.IFeedbackStore.RunFeedbackAsync"/>). Read only.
/// </summary>
public interface IRunHistory
{
    /// <summary>The run, or null when there is none by that key.</summary>
    Task<RunHeader?> FindAsync(string runKey, CancellationToken cancellationToken);

    /// <summary>
    /// The run's failed deliveries with the server's words, by subscriber id: at most <paramref name="max"/> of those
    /// after <paramref name="afterSubscriberId"/> (keyset paging, as fast on the last page as on the first).
    /// </summary>
    Task<IReadOnlyList<FailedDelivery>> FailedAsync(string runKey, long afterSubscriberId, int max, CancellationToken cancellationToken);

    /// <summary>
    /// When each post was first seen public, by <see cref="PublicPost.LogKey"/>. Unlike <see cref="IPublicationLog.ObserveAsync"/>
    /// it records nothing: looking must not make a post "seen".
    /// </summary>
    Task<IReadOnlyDictionary<string, DateTimeOffset>> FirstSeenAsync(CancellationToken cancellationToken);

    /// <summary>
    /// The runs that mailed <paramref name="postId"/>: of the first <paramref name="maxRuns"/> runs opened since
    /// <paramref name="since"/> (when it was first seen public; no earlier run can carry it), oldest first, those
    /// with a sent delivery that listed it. Bounded: at most that many runs are looked at, and in each the search stops
    /// at its first such delivery.
    /// </summary>
    Task<IReadOnlyList<string>> CarriedByAsync(string postId, DateTimeOffset since, int maxRuns, CancellationToken cancellationToken);
}

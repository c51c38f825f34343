namespace Blog.Digests;

/// <summary>
/// The send ledger. A run is planned first: every (run, subscriber) delivery is written with its posts before any
/// mail leaves. Senders then claim pending deliveries under a lease and settle each one; a sent delivery moves the
/// subscriber's watermark in the same transaction, so a digest is never both sent and forgotten.
/// </summary>
public interface IDigestLedger
{
    /// <summary>Creates the run unless it exists, and says how it found it: a restart or another node resumes it.</summary>
    Task<RunOpening> OpenRunAsync(string key, string cadence, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Writes a batch of planned deliveries; one that already exists is left as it is.</summary>
    Task AddAsync(string runKey, IReadOnlyList<PlannedDelivery> deliveries, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Every delivery of the run is written; from now on it only sends.</summary>
    Task MarkPlannedAsync(string runKey, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Runs opened but not fully planned (the process stopped while planning).</summary>
    Task<IReadOnlyList<(string Key, string Cadence)>> UnplannedAsync(CancellationToken cancellationToken);

    Task<IReadOnlyList<ClaimedDelivery>> ClaimAsync(DateTimeOffset now, TimeSpan lease, int max, CancellationToken cancellationToken);

    /// <summary>Sent: the delivery is settled and the subscriber's watermark moves, together.</summary>
    Task CompleteAsync(ClaimedDelivery delivery, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Nothing left to send (its posts were all withdrawn since planning).</summary>
    Task SkipAsync(ClaimedDelivery delivery, string reason, DateTimeOffset now, CancellationToken cancellationToken);

    Task RetryAsync(ClaimedDelivery delivery, DateTimeOffset at, string reason, CancellationToken cancellationToken);

    /// <summary>Refused for good. A hard bounce counts against the subscriber, who is suspended at <paramref name="maxBounces"/>.</summary>
    Task FailAsync(ClaimedDelivery delivery, string reason, bool bounce, int maxBounces, DateTimeOffset now, CancellationToken cancellationToken);

    Task ReleaseAsync(IEnumerable<ClaimedDelivery> deliveries, CancellationToken cancellationToken);

    /// <summary>The newest runs first.</summary>
    Task<IReadOnlyList<DigestRunSummary>> RunsAsync(int max, CancellationToken cancellationToken);

    /// <summary>Puts the failed deliveries of a run back to pending. Returns how many; null when there is no such run.</summary>
    Task<int?> RetryFailedAsync(string runKey, DateTimeOffset now, CancellationToken cancellationToken);
}

using Blog.Digests;
using Blog.MailingList;

namespace Blog.Admin.Overview;

/// <summary>
/// The overview's two costly reads, kept a few seconds: counting the list by status reads every subscriber, and the
/// run summaries count every delivery of the last runs. An owner reloading the page, or several owners, pay once.
/// </summary>
internal sealed class BriefCounts(ISubscriberStore subscribers, IDigestLedger ledger, TimeProvider time) : IDisposable
{
    /// <summary>How old the counts the overview shows may be.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(15);

    /// <summary>The runs the overview charts.</summary>
    public const int Runs = 30;

    private readonly SemaphoreSlim refresh = new(1, 1);
    // One reference, swapped whole: a reader never sees the counts of one refresh with the time of another.
    private volatile Kept? kept;

    public async Task<(SubscriberCounts Counts, IReadOnlyList<DigestRunSummary> Runs)> GetAsync(CancellationToken cancellationToken)
    {
        if (Fresh() is { } fresh) return fresh;
        await refresh.WaitAsync(cancellationToken);
        try
        {
            // Another request may have refreshed them while this one waited.
            if (Fresh() is { } again) return again;
            var counts = await subscribers.CountAsync(cancellationToken);
            var runs = await ledger.RunsAsync(Runs, cancellationToken);
            kept = new Kept(counts, runs, time.GetUtcNow());
            return (counts, runs);
        }
        finally
        {
            refresh.Release();
        }
    }

    /// <summary>Forgets the counts, so the next read is fresh: after a change the owner made and expects to see.</summary>
    public void Forget() => kept = null;

    public void Dispose() => refresh.Dispose();

    private (SubscriberCounts, IReadOnlyList<DigestRunSummary>)? Fresh() =>
        kept is { } k && time.GetUtcNow() - k.At < Lifetime ? (k.Counts, k.Runs) : null;

    private sealed record Kept(SubscriberCounts Counts, IReadOnlyList<DigestRunSummary> Runs, DateTimeOffset At);
}

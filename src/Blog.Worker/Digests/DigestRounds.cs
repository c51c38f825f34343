using Blog.Mail;
using Blog.Posts;

namespace Blog.Digests;

/// <summary>
/// The digests' rounds in the running service: finishes planning any run a stop interrupted, then sends every due
/// delivery. Posts come from the service's catalogue (<see cref="PublishedPosts"/>), as the feeds do.
/// </summary>
internal sealed partial class DigestRounds(IDigestLedger ledger, DigestRuns runs, DigestSender sender, PublishedPosts posts,
    TimeProvider time, ILogger<DigestRounds> logger) : IDeliveryRounds
{
    public string Name => "Digests";

    public Task WaitForWakeAsync(TimeSpan timeout, CancellationToken cancellationToken) => sender.WaitForWakeAsync(timeout, cancellationToken);

    public async Task RoundAsync(CancellationToken cancellationToken)
    {
        var snapshot = await posts.SnapshotAsync(cancellationToken);
        var now = time.GetUtcNow();
        var published = snapshot.Published(now);
        // Every round, not only when a run is planned: a post is "new" from when it was first seen public, so a draft
        // published between runs is recorded within a poll interval of its going live. Free when nothing is new.
        await runs.PublicAsync(published, now, cancellationToken);
        // In a cluster several nodes may finish one interrupted planning at once: deliveries are inserted once each
        // (ON CONFLICT DO NOTHING), so that is work done twice, never a digest sent twice.
        foreach (var (key, cadence) in await ledger.UnplannedAsync(cancellationToken))
        {
            var plan = await runs.PlanAsync(key, cadence, now, published, null, cancellationToken);
            Log.Resumed(logger, key, plan.Subscribers);
        }
        var byId = new Lazy<IReadOnlyDictionary<string, Post>>(() => published.ToDictionary(p => p.Id, StringComparer.Ordinal));
        var round = await sender.SendDueAsync(byId, null, cancellationToken);
        if (round.Sent + round.Failed + round.Skipped > 0) Log.Round(logger, round.Sent, round.Skipped, round.Failed);
    }

    private static partial class Log
    {
        [LoggerMessage(LogEvents.DigestRounds.Round, LogLevel.Information, "Digests: {Sent} sent, {Skipped} skipped, {Failed} failed")]
        public static partial void Round(ILogger logger, int sent, int skipped, int failed);

        [LoggerMessage(LogEvents.DigestRounds.Resumed, LogLevel.Information, "Digest run {Run} was interrupted while planning; planned now for {Subscribers} subscribers")]
        public static partial void Resumed(ILogger logger, string run, int subscribers);
    }
}

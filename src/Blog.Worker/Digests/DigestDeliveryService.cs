using Blog.Mail;
using Blog.Posts;
using Microsoft.Extensions.Hosting;

namespace Blog.Digests;

/// <summary>
/// In the running service: finishes planning any run a stop interrupted, then sends every due delivery; again when a
/// run is planned, and every <see cref="MailOptions.PollInterval"/> for retries and to record posts newly public.
/// Posts come from the service's catalogue (<see cref="PublishedPosts"/>), as the feeds do.
/// </summary>
internal sealed partial class DigestDeliveryService(IDigestLedger ledger, DigestRuns runs, DigestSender sender, PublishedPosts posts,
    IOptions<MailOptions> mail, TimeProvider time, ILogger<DigestDeliveryService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await RoundAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                // Nothing here may stop the host: the ledger keeps every pending delivery for the next round.
                Log.RoundFailed(logger, e);
            }
            try
            {
                await sender.WaitForWakeAsync(mail.Value.PollInterval, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task RoundAsync(CancellationToken cancellationToken)
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
        [LoggerMessage(1, LogLevel.Information, "Digests: {Sent} sent, {Skipped} skipped, {Failed} failed")]
        public static partial void Round(ILogger logger, int sent, int skipped, int failed);

        [LoggerMessage(2, LogLevel.Information, "Digest run {Run} was interrupted while planning; planned now for {Subscribers} subscribers")]
        public static partial void Resumed(ILogger logger, string run, int subscribers);

        [LoggerMessage(3, LogLevel.Error, "Digests: a round failed; the pending deliveries wait for the next")]
        public static partial void RoundFailed(ILogger logger, Exception exception);
    }
}

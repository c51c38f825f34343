using Blog.Mail;
using Blog.Posts;
using Blog.Subscribers;

namespace Blog.Digests;

/// <summary>
/// Sends the pending deliveries of planned runs. Each is claimed under a lease, rendered, sent and settled: sent (the
/// watermark moves with it), retried with exponential backoff after a 4xx reply or a dropped connection, failed after
/// a 5xx reply (a hard bounce, which counts against the subscriber) or too many attempts. When the server fails
/// <see cref="MailOptions.ErrorBudget"/> times in a row, the round pauses and leaves the rest pending.
/// <para>
/// The Message-ID is the delivery's own, the same on every attempt. The one window where a digest can go twice: the
/// server took it and the process died before the ledger heard. The lease runs out, the delivery is sent again with
/// the same Message-ID, and a receiver can tell it is the same message.
/// </para>
/// </summary>
public sealed partial class DigestSender(IDigestLedger ledger, DigestMail mail, IMailTransport transport, MessageSigner signer,
    IOptions<MailOptions> options, TimeProvider time, ILogger<DigestSender> logger)
{
    private const int BatchSize = 50;
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan MaxRetryDelay = TimeSpan.FromHours(1);

    /// <param name="postsById">The posts as published now: a post withdrawn since planning is left out of the mail.</param>
    public Task<DigestRound> SendDueAsync(IReadOnlyDictionary<string, Post> postsById, IProgress<int>? progress, CancellationToken cancellationToken) =>
        SendDueAsync(new Lazy<IReadOnlyDictionary<string, Post>>(postsById), progress, cancellationToken);

    /// <param name="postsById">Read only when a delivery is due.</param>
    public async Task<DigestRound> SendDueAsync(Lazy<IReadOnlyDictionary<string, Post>> postsById, IProgress<int>? progress, CancellationToken cancellationToken)
    {
        int sent = 0, skipped = 0, failed = 0, inARow = 0;
        while (true)
        {
            var batch = await ledger.ClaimAsync(time.GetUtcNow(), Lease, BatchSize, cancellationToken);
            if (batch.Count == 0) return new DigestRound(sent, skipped, failed, 0, null);
            var settled = 0;
            try
            {
                foreach (var delivery in batch)
                {
                    var outcome = await SendOneAsync(delivery, postsById.Value, cancellationToken);
                    settled++;
                    switch (outcome)
                    {
                        case Outcome.Sent: sent++; inARow = 0; break;
                        case Outcome.Skipped: skipped++; break;
                        case Outcome.Failed: failed++; inARow = 0; break;
                        case Outcome.Deferred when ++inARow >= options.Value.ErrorBudget:
                            Log.Paused(logger, inARow);
                            return new DigestRound(sent, skipped, failed, batch.Count - settled + 1,
                                $"the mail server failed {inARow} times in a row; the rest waits for the next round");
                    }
                    progress?.Report(sent + skipped + failed);
                }
            }
            finally
            {
                if (settled < batch.Count) await ledger.ReleaseAsync(batch.Skip(settled), CancellationToken.None);
            }
        }
    }

    private enum Outcome
    {
        Sent,
        Skipped,
        Failed,
        Deferred,
    }

    private async Task<Outcome> SendOneAsync(ClaimedDelivery delivery, IReadOnlyDictionary<string, Post> postsById, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (delivery.Subscriber.Status != SubscriberStatus.Active)
        {
            await ledger.SkipAsync(delivery, $"the subscriber is {delivery.Subscriber.Status.ToString().ToLowerInvariant()}", now, CancellationToken.None);
            return Outcome.Skipped;
        }
        var posts = delivery.PostIds.Select(id => postsById.GetValueOrDefault(id)).OfType<Post>().ToList();
        if (posts.Count == 0)
        {
            await ledger.SkipAsync(delivery, "its posts were withdrawn before sending", now, CancellationToken.None);
            return Outcome.Skipped;
        }
        try
        {
            var message = mail.Compose(delivery.Subscriber, posts, delivery.MessageId);
            signer.Sign(message);
            await transport.SendAsync(message, cancellationToken);
        }
        catch (MailDeliveryException e)
        {
            var attempts = delivery.Attempts + 1;
            if (e.Permanent || attempts >= options.Value.MaxAttempts)
            {
                var reason = e.Permanent ? e.Message : $"gave up after {attempts} attempts: {e.Message}";
                await ledger.FailAsync(delivery, reason, bounce: e.Permanent, options.Value.MaxBounces, time.GetUtcNow(), CancellationToken.None);
                Log.Failed(logger, delivery.Subscriber.Id, delivery.RunKey, reason);
                return Outcome.Failed;
            }
            var delay = options.Value.RetryDelay * Math.Pow(2, Math.Min(attempts - 1, 20));
            if (delay > MaxRetryDelay) delay = MaxRetryDelay;
            await ledger.RetryAsync(delivery, time.GetUtcNow() + delay, e.Message, CancellationToken.None);
            Log.Deferred(logger, delivery.Subscriber.Id, delay, e.Message);
            return Outcome.Deferred;
        }
        // The server has it: settle even when stopping, or it would go again.
        await ledger.CompleteAsync(delivery, time.GetUtcNow(), CancellationToken.None);
        return Outcome.Sent;
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Warning, "Digest to subscriber {Id} deferred for {Delay}: {Error}")]
        public static partial void Deferred(ILogger logger, long id, TimeSpan delay, string error);

        [LoggerMessage(2, LogLevel.Error, "Digest {Run} to subscriber {Id} failed: {Error}")]
        public static partial void Failed(ILogger logger, long id, string run, string error);

        [LoggerMessage(3, LogLevel.Warning, "Digests paused: the mail server failed {Count} times in a row")]
        public static partial void Paused(ILogger logger, int count);
    }
}

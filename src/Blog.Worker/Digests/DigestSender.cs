using System.Threading.Channels;
using Blog.Mail;
using Blog.Posts;
using Blog.Subscribers;

namespace Blog.Digests;

/// <summary>
/// Sends the pending deliveries of planned runs. Each is claimed under a lease, rendered, sent and settled: sent (the
/// watermark moves with it), retried with exponential backoff after a 4xx reply or a dropped connection, failed after
/// a 5xx reply (a hard bounce, which counts against the subscriber) or too many attempts. Deliveries go out over
/// <see cref="SmtpOptions.MaxConnections"/> connections at once, at most <see cref="SmtpOptions.MessagesPerSecond"/>.
/// When the server fails <see cref="MailOptions.ErrorBudget"/> times in a row, the round pauses and leaves the rest pending.
/// <para>
/// The Message-ID is the delivery's own, the same on every attempt. The one window where a digest can go twice: the
/// server took it and the process died before the ledger heard. The lease runs out, the delivery is sent again with
/// the same Message-ID, and a receiver can tell it is the same message.
/// </para>
/// </summary>
public sealed partial class DigestSender(IDigestLedger ledger, DigestMail mail, IMailTransport transport, MessageSigner signer,
    IOptions<MailOptions> options, IOptions<DigestsOptions> digests, TimeProvider time, ILogger<DigestSender> logger, SendingPause pause)
{
    /// <summary>
    /// Claimed at a time: enough to keep every connection busy while the next claim runs, few enough that a claim
    /// does not wait long in the queue (and spend its lease) before it is sent.
    /// </summary>
    private int BatchSize => Math.Clamp(options.Value.Smtp.MaxConnections * 8, 8, 100);
    private readonly WakeSignal wake = new();

    /// <summary>Asks the running delivery loop to send now: a run was just planned.</summary>
    public void Wake() => wake.Wake();

    /// <summary>Until <see cref="Wake"/> is called or <paramref name="timeout"/> has passed.</summary>
    internal Task WaitForWakeAsync(TimeSpan timeout, CancellationToken cancellationToken) => wake.WaitAsync(timeout, time, cancellationToken);

    /// <param name="postsById">The posts as published now: a post withdrawn since planning is left out of the mail.</param>
    public Task<DigestRound> SendDueAsync(IReadOnlyDictionary<string, Post> postsById, IProgress<int>? progress, CancellationToken cancellationToken) =>
        SendDueAsync(new Lazy<IReadOnlyDictionary<string, Post>>(postsById), progress, cancellationToken);

    /// <param name="postsById">Read only when a delivery is due.</param>
    /// <remarks>
    /// A pipeline, not batch after batch: one task claims the next batch while the connections are still sending the
    /// last, and each connection takes its next delivery as soon as it is free. (Batches with a barrier left the
    /// connections idle while the slowest finished and the next claim ran.)
    /// </remarks>
    public async Task<DigestRound> SendDueAsync(Lazy<IReadOnlyDictionary<string, Post>> postsById, IProgress<int>? progress, CancellationToken cancellationToken)
    {
        // The mail setup failed lately (a refused password): nothing is claimed until the hold-off ends.
        if (pause.Reason is { } held) return new DigestRound(0, 0, 0, $"{held}; nothing more is sent until the mail settings are fixed");
        int sent = 0, skipped = 0, failed = 0, inARow = 0;
        string? paused = null;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var limiter = RateLimit(options.Value.Smtp.MessagesPerSecond);
        var queue = Channel.CreateBounded<ClaimedDelivery>(new BoundedChannelOptions(BatchSize) { SingleWriter = true });
        // Claimed but not begun: handed back at once when the round stops, not when the lease ends.
        var unstarted = new System.Collections.Concurrent.ConcurrentDictionary<ClaimedDelivery, byte>(ReferenceEqualityComparer.Instance);

        async Task ClaimAsync()
        {
            try
            {
                while (!stop.IsCancellationRequested)
                {
                    var batch = await ledger.ClaimAsync(time.GetUtcNow(), digests.Value.Lease, BatchSize, cancellationToken);
                    if (batch.Count == 0) break;
                    foreach (var delivery in batch) unstarted.TryAdd(delivery, 0);
                    foreach (var delivery in batch) await queue.Writer.WriteAsync(delivery, stop.Token);
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
            }
            catch
            {
                await stop.CancelAsync();
                throw;
            }
            finally
            {
                queue.Writer.TryComplete();
            }
        }

        async Task SendAsync()
        {
            try
            {
                await foreach (var delivery in queue.Reader.ReadAllAsync(stop.Token))
                {
                    if (limiter is not null) using (await limiter.AcquireAsync(1, stop.Token)) { }
                    unstarted.TryRemove(delivery, out _);
                    if (Claims.TooLateToBegin(delivery.LeaseUntil, digests.Value.Lease, time.GetUtcNow()))
                    {
                        Log.LeaseRanOut(logger, delivery.Subscriber.Id, delivery.RunKey);
                        continue;
                    }
                    // Not the stop token: a send already begun is finished and settled.
                    Outcome outcome;
                    try
                    {
                        outcome = await SendOneAsync(delivery, postsById, cancellationToken);
                    }
                    catch (MailDeliveryException e) when (e.StopSending)
                    {
                        if (Interlocked.CompareExchange(ref paused, $"{e.Message}; nothing more is sent until the mail settings are fixed", null) is null)
                            Log.Stopped(logger, pause.Begin(e.Message), e.Message);
                        await stop.CancelAsync();
                        break;
                    }
                    switch (outcome)
                    {
                        case Outcome.Sent:
                            pause.End();
                            Interlocked.Increment(ref sent);
                            Interlocked.Exchange(ref inARow, 0);
                            break;
                        case Outcome.Skipped:
                            Interlocked.Increment(ref skipped);
                            break;
                        case Outcome.Failed:
                            Interlocked.Increment(ref failed);
                            Interlocked.Exchange(ref inARow, 0);
                            break;
                        case Outcome.Deferred when Interlocked.Increment(ref inARow) >= options.Value.ErrorBudget:
                            Interlocked.CompareExchange(ref paused, $"the mail server failed {options.Value.ErrorBudget} times in a row; the rest waits for the next round", null);
                            await stop.CancelAsync();
                            break;
                    }
                    progress?.Report(Volatile.Read(ref sent) + Volatile.Read(ref skipped) + Volatile.Read(ref failed));
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
            }
            catch
            {
                await stop.CancelAsync();
                throw;
            }
        }

        try
        {
            await Task.WhenAll([Task.Run(ClaimAsync, CancellationToken.None),
                .. Enumerable.Range(0, Math.Max(1, options.Value.Smtp.MaxConnections)).Select(_ => Task.Run(SendAsync, CancellationToken.None))]);
        }
        finally
        {
            if (!unstarted.IsEmpty) await ledger.ReleaseAsync([.. unstarted.Keys], CancellationToken.None);
        }
        if (paused is not null && inARow >= options.Value.ErrorBudget) Log.Paused(logger, options.Value.ErrorBudget);
        return new DigestRound(sent, skipped, failed, paused);
    }

    private static System.Threading.RateLimiting.TokenBucketRateLimiter? RateLimit(double perSecond)
    {
        if (perSecond <= 0) return null;
        // Tokens are added every 100 ms (a finer timer is not reliable); slow rates add one token at their own pace.
        var fast = perSecond >= 10;
        var tokens = fast ? (int)Math.Max(1, Math.Round(perSecond / 10)) : 1;
        return new System.Threading.RateLimiting.TokenBucketRateLimiter(new System.Threading.RateLimiting.TokenBucketRateLimiterOptions
        {
            TokenLimit = tokens,
            TokensPerPeriod = tokens,
            ReplenishmentPeriod = fast ? TimeSpan.FromMilliseconds(100) : TimeSpan.FromSeconds(1 / perSecond),
            QueueLimit = int.MaxValue,
            AutoReplenishment = true,
        });
    }

    private enum Outcome
    {
        Sent,
        Skipped,
        Failed,
        Deferred,
    }

    private async Task<Outcome> SendOneAsync(ClaimedDelivery delivery, Lazy<IReadOnlyDictionary<string, Post>> posts, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (delivery.Subscriber.Status != SubscriberStatus.Active)
        {
            await ledger.SkipAsync(delivery, $"the subscriber is {delivery.Subscriber.Status.ToText()}", now, CancellationToken.None);
            return Outcome.Skipped;
        }
        var mailed = delivery.PostIds.Select(id => posts.Value.GetValueOrDefault(id)).OfType<Post>().ToList();
        if (mailed.Count == 0)
        {
            await ledger.SkipAsync(delivery, "its posts were withdrawn before sending", now, CancellationToken.None);
            return Outcome.Skipped;
        }
        MimeKit.MimeMessage message;
        try
        {
            message = mail.Compose(delivery.Subscriber, mailed, delivery.MessageId, delivery.More);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The mail cannot be made (a template or a post it cannot render): this delivery fails with why, never the
            // round, and never left pending, where it would hold back this subscriber's later digests for good.
            var reason = $"the digest could not be rendered: {e.Message}";
            await ledger.FailAsync(delivery, reason, bounce: false, options.Value.MaxBounces, time.GetUtcNow(), CancellationToken.None);
            Log.Failed(logger, delivery.Subscriber.Id, delivery.RunKey, reason);
            return Outcome.Failed;
        }
        try
        {
            Sign(message);
            await transport.SendAsync(message, cancellationToken);
        }
        catch (MailDeliveryException e) when (e.StopSending)
        {
            // The mail setup is wrong (a refused login, a connection that would send the password in clear): every
            // delivery would fail alike until the owner fixes it. Not an attempt, not a bounce: handed back as it was.
            await ledger.ReleaseAsync([delivery], CancellationToken.None);
            throw;
        }
        catch (MailDeliveryException e)
        {
            var attempts = delivery.Attempts + 1;
            if (RetryPolicy.GiveUp(options.Value, e, attempts) is { } reason)
            {
                await ledger.FailAsync(delivery, reason, bounce: e.Permanent, options.Value.MaxBounces, time.GetUtcNow(), CancellationToken.None);
                Log.Failed(logger, delivery.Subscriber.Id, delivery.RunKey, reason);
                return Outcome.Failed;
            }
            var delay = RetryPolicy.Delay(options.Value, attempts);
            await ledger.RetryAsync(delivery, time.GetUtcNow() + delay, e.Message, CancellationToken.None);
            Log.Deferred(logger, delivery.Subscriber.Id, delay, e.Message);
            return Outcome.Deferred;
        }
        // The server has it: settle even when stopping, or it would go again.
        await ledger.CompleteAsync(delivery, time.GetUtcNow(), CancellationToken.None);
        return Outcome.Sent;
    }

    /// <summary>A key that cannot sign is the setup's fault, not this digest's: every one would fail alike.</summary>
    private void Sign(MimeKit.MimeMessage message)
    {
        try
        {
            signer.Sign(message);
        }
        catch (Exception e) when (e is not MailDeliveryException and not OperationCanceledException)
        {
            throw MailDeliveryException.Setup($"cannot DKIM-sign with Mail:Dkim ({e.Message}); check the key", e);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Warning, "Digest to subscriber {Id} deferred for {Delay}: {Error}")]
        public static partial void Deferred(ILogger logger, long id, TimeSpan delay, string error);

        [LoggerMessage(2, LogLevel.Error, "Digest {Run} to subscriber {Id} failed: {Error}")]
        public static partial void Failed(ILogger logger, long id, string run, string error);

        [LoggerMessage(3, LogLevel.Warning, "Digests paused: the mail server failed {Count} times in a row")]
        public static partial void Paused(ILogger logger, int count);

        [LoggerMessage(5, LogLevel.Error, "Digests paused for {Delay}: {Reason}. Pending deliveries wait, unchanged, until the mail settings are fixed")]
        public static partial void Stopped(ILogger logger, TimeSpan delay, string reason);

        [LoggerMessage(4, LogLevel.Debug, "Digest {Run} to subscriber {Id} not begun: half its lease has passed; it is claimed again later")]
        public static partial void LeaseRanOut(ILogger logger, long id, string run);
    }
}

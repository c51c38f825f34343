using System.Collections.Concurrent;
using System.Threading.Channels;
using MimeKit;

namespace Blog.Mail;

/// <summary>
/// The one way mail that must not be lost is sent: claimed under a lease, made, signed, sent and settled. Sent claims
/// are completed; a 4xx reply or a dropped connection is retried with backoff (<see cref="RetryPolicy"/>); a 5xx reply,
/// too many attempts or a message that cannot be made fails. Claims go out over <see cref="SmtpOptions.MaxConnections"/>
/// connections at once, at most <see cref="SmtpOptions.MessagesPerSecond"/> over all pipelines (<see cref="SendingRate"/>). When the server fails
/// <see cref="MailOptions.ErrorBudget"/> times in a row the round stops and leaves the rest pending; when the mail setup
/// fails (<see cref="MailDeliveryException.StopSending"/>) it stops at once and every sender holds off (<see cref="SendingPause"/>).
/// <para>
/// The one window where a message can go twice: the server took it and the process died before the store heard. The
/// lease runs out, the claim is sent again with the same Message-ID, and a receiver can tell it is the same message.
/// </para>
/// </summary>
internal sealed partial class DeliveryPipeline<TClaim>(ILeasedQueue<TClaim> queue, IMailTransport transport, MessageSigner signer,
    IOptions<MailOptions> options, SendingPause pause, SendingRate rate, TimeProvider time, ILogger logger) where TClaim : class
{
    private sealed class Tally
    {
        public int Sent, Skipped, Failed, Deferred, Released, InARow, Budget;
        public string? SetupError, LastError;
        public bool BudgetSpent;
    }

    /// <summary>Sends every claim that is due, until none is left, the error budget is spent or the setup fails.</summary>
    /// <param name="errorBudget">Transient failures in a row that stop the round; <see cref="MailOptions.ErrorBudget"/> when null.</param>
    public async Task<DeliveryRound> SendDueAsync(TimeSpan lease, int? errorBudget, IProgress<int>? progress, CancellationToken cancellationToken)
    {
        // The mail setup failed lately (a refused password): nothing is claimed until the hold-off ends.
        if (pause.Reason is { } held) return new DeliveryRound(0, 0, 0, 0, 0) { SetupError = held, Paused = StoppedText(held) };
        var tally = new Tally { Budget = errorBudget ?? options.Value.ErrorBudget };
        // A pass ends early only to claim afresh what waited too long to begin.
        while (await PassAsync(lease, tally, progress, cancellationToken))
        {
        }
        if (tally.BudgetSpent) Log.Paused(logger, queue.Noun, tally.Budget);
        return new DeliveryRound(tally.Sent, tally.Skipped, tally.Failed, tally.Deferred, tally.Released)
        {
            SetupError = tally.SetupError,
            Paused = tally.SetupError is { } setup ? StoppedText(setup)
                : tally.BudgetSpent ? tally.Budget == 1 ? "the mail server failed; the rest waits for the next round"
                : $"the mail server failed {tally.Budget} times in a row; the rest waits for the next round"
                : null,
            LastError = tally.LastError,
        };
    }

    private static string StoppedText(string error) => $"{error}; nothing more is sent until the mail settings are fixed";

    /// <returns>Whether claims that waited too long were handed back, and another pass should claim them afresh.</returns>
    /// <remarks>
    /// A pipeline, not batch after batch: one task claims the next batch while the connections are still sending the
    /// last, and each connection takes its next claim as soon as it is free. (Batches with a barrier left the
    /// connections idle while the slowest finished and the next claim ran.)
    /// </remarks>
    private async Task<bool> PassAsync(TimeSpan lease, Tally tally, IProgress<int>? progress, CancellationToken cancellationToken)
    {
        var connections = Math.Max(1, options.Value.Smtp.MaxConnections);
        // Enough to keep every connection busy while the next claim runs, few enough that a claim does not wait long
        // in the queue (and spend its lease) before it is sent.
        var batchSize = Math.Clamp(connections * 8, 8, 100);
        // Under a rate limit, no more than can begin within half the lease: the rest would only lapse in the queue.
        var perSecond = options.Value.Smtp.MessagesPerSecond;
        if (perSecond > 0) batchSize = (int)Math.Clamp(perSecond * lease.TotalSeconds / 2, 1, batchSize);
        var settledBefore = tally.Sent + tally.Skipped + tally.Failed + tally.Deferred;
        // Not handed back at once: the claimer would take them again behind the others and they would lapse again.
        var lapsed = new ConcurrentQueue<TClaim>();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var channel = Channel.CreateBounded<TClaim>(new BoundedChannelOptions(batchSize) { SingleWriter = true });
        // Claimed but not begun: handed back at once when the round stops, not when the lease ends.
        var unstarted = new ConcurrentDictionary<TClaim, byte>(ReferenceEqualityComparer.Instance);
        // The other connections open once the first has had a message judged (sent, refused for good with a 5xx) or
        // skipped: a refused login, or a server that is down or failing for now, is tried on one connection a round,
        // not on every one at once.
        var proven = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        async Task ClaimAsync()
        {
            try
            {
                while (!stop.IsCancellationRequested)
                {
                    var batch = await queue.ClaimAsync(time.GetUtcNow(), lease, batchSize, cancellationToken);
                    if (batch.Count == 0) break;
                    foreach (var claim in batch) unstarted.TryAdd(claim, 0);
                    foreach (var claim in batch) await channel.Writer.WriteAsync(claim, stop.Token);
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
                channel.Writer.TryComplete();
            }
        }

        async Task SendAsync(bool first)
        {
            try
            {
                if (!first) await proven.Task.WaitAsync(stop.Token);
                await foreach (var claim in channel.Reader.ReadAllAsync(stop.Token))
                {
                    // Checked before the rate limit too, so a claim that lapsed costs no message of the rate.
                    if (rate.Limited && !Claims.TooLateToBegin(queue.LeaseUntil(claim), lease, time.GetUtcNow()))
                        await rate.WaitAsync(stop.Token);
                    // The reader hands out what is buffered even once stopped: left unstarted, it is handed back below.
                    if (stop.IsCancellationRequested) break;
                    unstarted.TryRemove(claim, out _);
                    if (Claims.TooLateToBegin(queue.LeaseUntil(claim), lease, time.GetUtcNow()))
                    {
                        Log.LeaseRanOut(logger, queue.Describe(claim));
                        lapsed.Enqueue(claim);
                        continue;
                    }
                    // Not the stop token: a send already begun is finished and settled.
                    DeliveryOutcome outcome;
                    try
                    {
                        outcome = await SendOneAsync(claim, tally, proven, cancellationToken);
                    }
                    catch (MailDeliveryException e) when (e.StopSending)
                    {
                        Interlocked.Increment(ref tally.Released);
                        if (Interlocked.CompareExchange(ref tally.SetupError, e.Message, null) is null)
                            Log.Stopped(logger, queue.Noun, pause.Begin(e.Message), e.Message);
                        await stop.CancelAsync();
                        break;
                    }
                    switch (outcome)
                    {
                        case DeliveryOutcome.Sent:
                            pause.End();
                            proven.TrySetResult();
                            Interlocked.Increment(ref tally.Sent);
                            Interlocked.Exchange(ref tally.InARow, 0);
                            break;
                        case DeliveryOutcome.Skipped:
                            proven.TrySetResult();
                            Interlocked.Increment(ref tally.Skipped);
                            break;
                        case DeliveryOutcome.Failed:
                            Interlocked.Increment(ref tally.Failed);
                            Interlocked.Exchange(ref tally.InARow, 0);
                            break;
                        case DeliveryOutcome.Deferred:
                            Interlocked.Increment(ref tally.Deferred);
                            if (Interlocked.Increment(ref tally.InARow) >= tally.Budget)
                            {
                                tally.BudgetSpent = true;
                                await stop.CancelAsync();
                            }
                            break;
                    }
                    progress?.Report(Volatile.Read(ref tally.Sent) + Volatile.Read(ref tally.Skipped) + Volatile.Read(ref tally.Failed));
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
                // The others wait for the first; once it is done, whatever is left (if anything) is theirs.
                if (first) proven.TrySetResult();
            }
        }

        try
        {
            await Task.WhenAll([Task.Run(ClaimAsync, CancellationToken.None),
                .. Enumerable.Range(0, connections).Select(i => Task.Run(() => SendAsync(i == 0), CancellationToken.None))]);
        }
        finally
        {
            if (!unstarted.IsEmpty)
            {
                Interlocked.Add(ref tally.Released, unstarted.Count);
                await queue.ReleaseAsync([.. unstarted.Keys], CancellationToken.None);
            }
            if (!lapsed.IsEmpty) await queue.ReleaseAsync([.. lapsed], CancellationToken.None);
        }
        // Another pass only after progress, so a round always ends.
        var progressed = tally.Sent + tally.Skipped + tally.Failed + tally.Deferred > settledBefore;
        return !lapsed.IsEmpty && progressed && !stop.IsCancellationRequested;
    }

    /// <param name="judged">Set when the server judged the message: it took it or refused it for good.</param>
    private async Task<DeliveryOutcome> SendOneAsync(TClaim claim, Tally tally, TaskCompletionSource judged, CancellationToken cancellationToken)
    {
        MimeMessage message;
        try
        {
            var (composed, settled) = await queue.ComposeAsync(claim, cancellationToken);
            if (composed is null) return settled;
            message = composed;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The message cannot be made (a template or a post it cannot render, a queued message that does not
            // parse): this claim fails with why, never the round, and is never left pending to hold back later mail.
            var reason = $"the {queue.Noun} could not be rendered: {e.Message}";
            await queue.FailAsync(claim, reason, bounce: false, time.GetUtcNow(), CancellationToken.None);
            Log.Failed(logger, queue.Describe(claim), reason);
            return DeliveryOutcome.Failed;
        }
        try
        {
            Sign(message);
            await transport.SendAsync(message, queue.EnvelopeSender(claim), cancellationToken);
        }
        catch (MailDeliveryException e) when (e.StopSending)
        {
            // The mail setup is wrong (a refused login, a connection that would send the password in clear): every
            // message would fail alike until the owner fixes it. Not an attempt, not a bounce: handed back as it was.
            await queue.ReleaseAsync([claim], CancellationToken.None);
            throw;
        }
        catch (MailDeliveryException e)
        {
            if (e.Permanent) judged.TrySetResult();
            var attempts = queue.Attempts(claim) + 1;
            if (RetryPolicy.GiveUp(options.Value, e, attempts) is { } reason)
            {
                await queue.FailAsync(claim, reason, bounce: e.Permanent, time.GetUtcNow(), CancellationToken.None);
                Log.Failed(logger, queue.Describe(claim), reason);
                return DeliveryOutcome.Failed;
            }
            var delay = RetryPolicy.Delay(options.Value, attempts);
            await queue.RetryAsync(claim, time.GetUtcNow() + delay, e.Message, CancellationToken.None);
            Log.Deferred(logger, queue.Describe(claim), delay, e.Message);
            Volatile.Write(ref tally.LastError, e.Message);
            return DeliveryOutcome.Deferred;
        }
        // The server has it: settle even when stopping, or it would go again.
        await queue.CompleteAsync(claim, time.GetUtcNow(), CancellationToken.None);
        Log.Sent(logger, queue.Describe(claim));
        return DeliveryOutcome.Sent;
    }

    /// <summary>A key that cannot sign is the setup's fault, not this message's: every one would fail alike.</summary>
    private void Sign(MimeMessage message)
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
        [LoggerMessage(LogEvents.DeliveryPipeline.Sent, LogLevel.Debug, "Sent the {What}")]
        public static partial void Sent(ILogger logger, string what);

        [LoggerMessage(LogEvents.DeliveryPipeline.Deferred, LogLevel.Warning, "The {What} was deferred for {Delay}: {Error}")]
        public static partial void Deferred(ILogger logger, string what, TimeSpan delay, string error);

        [LoggerMessage(LogEvents.DeliveryPipeline.Failed, LogLevel.Error, "The {What} failed for good: {Error}")]
        public static partial void Failed(ILogger logger, string what, string error);

        [LoggerMessage(LogEvents.DeliveryPipeline.Paused, LogLevel.Warning, "Sending {Noun}s paused: the mail server failed {Count} times in a row")]
        public static partial void Paused(ILogger logger, string noun, int count);

        [LoggerMessage(LogEvents.DeliveryPipeline.Stopped, LogLevel.Error, "Sending {Noun}s paused for {Delay}: {Reason}. What is pending waits, unchanged, until the mail settings are fixed")]
        public static partial void Stopped(ILogger logger, string noun, TimeSpan delay, string reason);

        [LoggerMessage(LogEvents.DeliveryPipeline.LeaseRanOut, LogLevel.Debug, "The {What} was not begun: half its lease has passed; it is claimed again")]
        public static partial void LeaseRanOut(ILogger logger, string what);
    }
}

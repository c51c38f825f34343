using MimeKit;

namespace Blog.Mail;

/// <summary>
/// Sends what is due in the outbox. Each item is claimed under a lease, handed to the transport, then settled: sent
/// items leave, a permanent refusal is recorded as failed, a transient one is retried later with exponential backoff.
/// A failure of the mail setup (<see cref="MailDeliveryException.StopSending"/>, such as a refused password) ends the
/// round at once: the mail stays pending as it was, one line is logged for the round, not one per message, and rounds
/// hold off (<see cref="MailOptions.RetryDelay"/>, doubling up to an hour) before logging in again.
/// <para>
/// The one window where a mail can go twice: the transport took it and the process died before the outbox heard.
/// The lease then runs out and the item is sent again, with the same Message-ID, so a receiver (or the pickup
/// folder, which names files after it) sees one message.
/// </para>
/// </summary>
public sealed partial class OutboxSender(IMailOutbox outbox, IMailTransport transport, MessageSigner signer, IOptions<MailOptions> options,
    TimeProvider time, ILogger<OutboxSender> logger, SendingPause? pause = null)
{
    private readonly SendingPause pause = pause ?? new SendingPause(options, time);

    private const int BatchSize = 50;
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(5);
    private readonly WakeSignal wake = new();

    public IMailTransport Transport => transport;

    /// <summary>Asks the running delivery loop to look at the outbox now; something was just queued.</summary>
    public void Wake() => wake.Wake();

    /// <summary>Until <see cref="Wake"/> is called or <paramref name="timeout"/> has passed.</summary>
    internal Task WaitForWakeAsync(TimeSpan timeout, CancellationToken cancellationToken) => wake.WaitAsync(timeout, time, cancellationToken);

    /// <summary>Sends every item that is due, until none is left or the transport fails transiently or stops sending.</summary>
    public async Task<OutboxRound> SendDueAsync(IProgress<int>? progress, CancellationToken cancellationToken)
    {
        if (pause.Reason is { } held) return new OutboxRound(0, 0, 0, held) { StoppedSending = true };
        int sent = 0, failed = 0;
        while (true)
        {
            var claimedAt = time.GetUtcNow();
            var batch = await outbox.ClaimAsync(claimedAt, Lease, BatchSize, cancellationToken);
            if (batch.Count == 0) return new OutboxRound(sent, failed, 0, null);
            var settled = 0;
            try
            {
                foreach (var item in batch)
                {
                    // The rest of the batch goes back (below) and is claimed afresh by the next loop.
                    if (Claims.TooLateToBegin(claimedAt + Lease, Lease, time.GetUtcNow())) break;
                    var outcome = await SendOneAsync(item, cancellationToken);
                    if (outcome is { StopSending: true })
                    {
                        // This item was not settled either: it goes back with the rest, as it was.
                        Log.Stopped(logger, pause.Begin(outcome.Message), outcome.Message);
                        return new OutboxRound(sent, failed, batch.Count - settled, outcome.Message) { StoppedSending = true };
                    }
                    // The server took or judged a message: the setup works again.
                    pause.End();
                    settled++;
                    if (outcome is null) sent++;
                    else if (outcome.Permanent) failed++;
                    else return new OutboxRound(sent, failed, batch.Count - settled + 1, outcome.Message);
                    progress?.Report(sent + failed);
                }
            }
            finally
            {
                // Whatever was claimed but not tried goes back at once, not when the lease ends.
                if (settled < batch.Count) await outbox.ReleaseAsync(batch.Skip(settled).Select(i => i.Id), CancellationToken.None);
            }
        }
    }

    /// <returns>Null when sent; otherwise the failure, already recorded.</returns>
    private async Task<MailDeliveryException?> SendOneAsync(OutboxItem item, CancellationToken cancellationToken)
    {
        try
        {
            using var stream = new MemoryStream(item.Mime, writable: false);
            var message = await MimeMessage.LoadAsync(stream, cancellationToken);
            signer.Sign(message);
            await transport.SendAsync(message, cancellationToken);
        }
        catch (MailDeliveryException e) when (e.StopSending)
        {
            // Not this message's fault: it keeps its place and its attempts, and no lease holds it.
            return e;
        }
        catch (MailDeliveryException e)
        {
            var attempts = item.Attempts + 1;
            if (RetryPolicy.GiveUp(options.Value, e, attempts) is { } reason)
            {
                await outbox.FailAsync(item.Id, reason, CancellationToken.None);
                Log.Failed(logger, item.Recipient, item.MessageId, reason);
                return new MailDeliveryException(reason, permanent: true);
            }
            var delay = RetryPolicy.Delay(options.Value, attempts);
            await outbox.RetryAsync(item.Id, time.GetUtcNow() + delay, e.Message, CancellationToken.None);
            Log.Deferred(logger, item.Recipient, delay, e.Message);
            return e;
        }
        // The transport has the message: settle it even if we are being stopped, or it would go again.
        await outbox.CompleteAsync(item.Id, CancellationToken.None);
        Log.Sent(logger, item.Recipient, item.MessageId);
        return null;
    }


    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Debug, "Sent mail to {Recipient} ({MessageId})")]
        public static partial void Sent(ILogger logger, string recipient, string messageId);

        [LoggerMessage(2, LogLevel.Warning, "Mail to {Recipient} deferred for {Delay}: {Error}")]
        public static partial void Deferred(ILogger logger, string recipient, TimeSpan delay, string error);

        [LoggerMessage(3, LogLevel.Error, "Mail to {Recipient} ({MessageId}) failed for good: {Error}")]
        public static partial void Failed(ILogger logger, string recipient, string messageId, string error);

        [LoggerMessage(4, LogLevel.Error, "Mail paused for {Delay}; the queued mail waits, untouched: {Error}")]
        public static partial void Stopped(ILogger logger, TimeSpan delay, string error);
    }
}

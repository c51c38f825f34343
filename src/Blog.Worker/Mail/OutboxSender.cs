using Blog.Feedback;
using MimeKit;

namespace Blog.Mail;

/// <summary>
/// Sends what is due in the outbox (confirmation mail) through the <see cref="DeliveryPipeline{TClaim}"/>, as digests
/// are sent: claimed under a lease of <see cref="MailOptions.OutboxLease"/>, over the same connections, rate limit,
/// retry policy and <see cref="SendingPause"/>. Sent items leave the outbox, a permanent refusal is recorded as failed,
/// a transient one is retried later with exponential backoff.
/// <para>
/// The one window where a mail can go twice: the transport took it and the process died before the outbox heard.
/// The lease then runs out and the item is sent again, with the same Message-ID, so a receiver (or the pickup
/// folder, which names files after it) sees one message.
/// </para>
/// </summary>
public sealed class OutboxSender(IMailOutbox outbox, IMailTransport transport, MessageSigner signer, IOptions<MailOptions> options,
    TimeProvider time, ILogger<OutboxSender> logger, SendingPause? pause = null, SendingRate? rate = null, ReturnAddress? returns = null)
{
    private readonly DeliveryPipeline<OutboxItem> pipeline =
        new(new Queue(outbox, returns), transport, signer, options, pause ?? new SendingPause(options, time), rate ?? new SendingRate(options), time, logger);

    private readonly WakeSignal wake = new();

    public IMailTransport Transport => transport;

    /// <summary>Asks the running delivery loop to look at the outbox now; something was just queued.</summary>
    public void Wake() => wake.Wake();

    /// <summary>Until <see cref="Wake"/> is called or <paramref name="timeout"/> has passed.</summary>
    internal Task WaitForWakeAsync(TimeSpan timeout, CancellationToken cancellationToken) => wake.WaitAsync(timeout, time, cancellationToken);

    /// <summary>Sends every item that is due, until none is left, the server keeps failing, or the mail setup fails.</summary>
    /// <param name="errorBudget">
    /// Transient failures in a row that stop the round: <see cref="MailOptions.ErrorBudget"/> when null (the running
    /// service); a command at the terminal passes 1, so a server that drops packets costs one timeout, not ten.
    /// </param>
    public async Task<OutboxRound> SendDueAsync(IProgress<int>? progress, CancellationToken cancellationToken, int? errorBudget = null)
    {
        var round = await pipeline.SendDueAsync(options.Value.OutboxLease, errorBudget, progress, cancellationToken);
        return new OutboxRound(round.Sent, round.Failed, round.Deferred, round.Released, round.SetupError ?? round.LastError)
        {
            StoppedSending = round.SetupError is not null,
        };
    }

    /// <summary>The outbox as the pipeline sees it: the queued message is already made; a bounce means nothing here.</summary>
    private sealed class Queue(IMailOutbox outbox, ReturnAddress? returns) : ILeasedQueue<OutboxItem>
    {
        public string Noun => "mail";

        public Task<IReadOnlyList<OutboxItem>> ClaimAsync(DateTimeOffset now, TimeSpan lease, int max, CancellationToken cancellationToken) =>
            outbox.ClaimAsync(now, lease, max, cancellationToken);

        public DateTimeOffset LeaseUntil(OutboxItem claim) => claim.LeaseUntil;

        public int Attempts(OutboxItem claim) => claim.Attempts;

        public string Describe(OutboxItem claim) => $"mail to {claim.Recipient} ({claim.MessageId})";

        public async Task<(MimeMessage? Message, DeliveryOutcome Settled)> ComposeAsync(OutboxItem claim, CancellationToken cancellationToken)
        {
            using var stream = new MemoryStream(claim.Mime, writable: false);
            return (await MimeMessage.LoadAsync(stream, cancellationToken), DeliveryOutcome.Sent);
        }

        public MailboxAddress? EnvelopeSender(OutboxItem claim) => returns is null ? null
            : claim.SubscriberId is { } subscriber ? returns.ForMail(subscriber, claim.Id) : returns.Plain;

        public Task CompleteAsync(OutboxItem claim, DateTimeOffset now, CancellationToken cancellationToken) => outbox.CompleteAsync(claim, cancellationToken);

        public Task RetryAsync(OutboxItem claim, DateTimeOffset at, string reason, CancellationToken cancellationToken) =>
            outbox.RetryAsync(claim, at, reason, cancellationToken);

        public Task FailAsync(OutboxItem claim, string reason, bool bounce, DateTimeOffset now, CancellationToken cancellationToken) =>
            outbox.FailAsync(claim, reason, cancellationToken);

        public Task ReleaseAsync(IReadOnlyList<OutboxItem> claims, CancellationToken cancellationToken) =>
            outbox.ReleaseAsync(claims, cancellationToken);
    }
}

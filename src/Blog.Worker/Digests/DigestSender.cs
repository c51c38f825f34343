using Blog.Feedback;
using Blog.Mail;
using Blog.Posts;
using Blog.MailingList;
using MimeKit;

namespace Blog.Digests;

/// <summary>
/// Sends the pending deliveries of planned runs through the <see cref="DeliveryPipeline{TClaim}"/>, under a lease of
/// <see cref="DigestsOptions.Lease"/>. A sent delivery moves the subscriber's watermark with it; a 5xx reply is a hard
/// bounce, which counts against the subscriber. A delivery whose subscriber left, or whose posts were all withdrawn
/// since planning, is skipped, not sent.
/// </summary>
public sealed class DigestSender(IDigestLedger ledger, DigestMail mail, IMailTransport transport, MessageSigner signer,
    IOptions<MailOptions> options, IOptions<DigestsOptions> digests, TimeProvider time, ILogger<DigestSender> logger, SendingPause pause,
    SendingRate rate, ReturnAddress returns, Blog.Feedback.FeedbackRecorder feedback, DigestMetrics metrics)
{
    private readonly WakeSignal wake = new();

    /// <summary>Asks the running delivery loop to send now: a run was just planned.</summary>
    public void Wake() => wake.Wake();

    /// <summary>Until <see cref="Wake"/> is called or <paramref name="timeout"/> has passed.</summary>
    internal Task WaitForWakeAsync(TimeSpan timeout, CancellationToken cancellationToken) => wake.WaitAsync(timeout, time, cancellationToken);

    /// <param name="postsById">The posts as published now: a post withdrawn since planning is left out of the mail.</param>
    public Task<DigestRound> SendDueAsync(IReadOnlyDictionary<string, Post> postsById, IProgress<int>? progress, CancellationToken cancellationToken) =>
        SendDueAsync(new Lazy<IReadOnlyDictionary<string, Post>>(postsById), progress, cancellationToken);

    /// <param name="postsById">Read only when a delivery is due.</param>
    public async Task<DigestRound> SendDueAsync(Lazy<IReadOnlyDictionary<string, Post>> postsById, IProgress<int>? progress, CancellationToken cancellationToken)
    {
        var pipeline = new DeliveryPipeline<ClaimedDelivery>(new Queue(ledger, mail, options, time, postsById, returns, feedback), transport, signer, options, pause, rate, time, logger);
        var round = await pipeline.SendDueAsync(digests.Value.Lease, null, progress, cancellationToken);
        var result = new DigestRound(round.Sent, round.Skipped, round.Failed, round.Paused);
        metrics.Sent(result);
        return result;
    }

    /// <summary>The ledger as the pipeline sees it; the mail is made from the posts as published now.</summary>
    private sealed class Queue(IDigestLedger ledger, DigestMail mail, IOptions<MailOptions> options, TimeProvider time,
        Lazy<IReadOnlyDictionary<string, Post>> posts, ReturnAddress returns, Blog.Feedback.FeedbackRecorder feedback)
        : ILeasedQueue<ClaimedDelivery>
    {
        public string Noun => "digest";

        public Task<IReadOnlyList<ClaimedDelivery>> ClaimAsync(DateTimeOffset now, TimeSpan lease, int max, CancellationToken cancellationToken) =>
            ledger.ClaimAsync(now, lease, max, cancellationToken);

        public DateTimeOffset LeaseUntil(ClaimedDelivery claim) => claim.LeaseUntil;

        public int Attempts(ClaimedDelivery claim) => claim.Attempts;

        public string Describe(ClaimedDelivery claim) => $"digest {claim.RunKey} to subscriber {claim.Subscriber.Id}";

        public async Task<(MimeMessage? Message, DeliveryOutcome Settled)> ComposeAsync(ClaimedDelivery claim, CancellationToken cancellationToken)
        {
            if (claim.Subscriber.Status != SubscriberStatus.Active)
            {
                await ledger.SkipAsync(claim, $"the subscriber is {claim.Subscriber.Status.ToText()}", time.GetUtcNow(), CancellationToken.None);
                return (null, DeliveryOutcome.Skipped);
            }
            var mailed = claim.PostIds.Select(id => posts.Value.GetValueOrDefault(id)).OfType<Post>().ToList();
            if (mailed.Count == 0)
            {
                await ledger.SkipAsync(claim, "its posts were withdrawn before sending", time.GetUtcNow(), CancellationToken.None);
                return (null, DeliveryOutcome.Skipped);
            }
            return (mail.Compose(claim.Subscriber, mailed, claim.MessageId, claim.More), DeliveryOutcome.Sent);
        }

        public MailboxAddress? EnvelopeSender(ClaimedDelivery claim) => returns.ForDigest(claim.Subscriber.Id, claim.RunKey);

        public Task CompleteAsync(ClaimedDelivery claim, DateTimeOffset now, CancellationToken cancellationToken) =>
            ledger.CompleteAsync(claim, now, cancellationToken);

        public Task RetryAsync(ClaimedDelivery claim, DateTimeOffset at, string reason, CancellationToken cancellationToken) =>
            ledger.RetryAsync(claim, at, reason, cancellationToken);

        public async Task FailAsync(ClaimedDelivery claim, string reason, bool bounce, DateTimeOffset now, CancellationToken cancellationToken)
        {
            await ledger.FailAsync(claim, reason, bounce, options.Value.MaxBounces, now, cancellationToken);
            // A 5xx now is a hard bounce of the run like a report later: the same rate check (issue 13's alerts).
            if (bounce) await feedback.CheckRunAsync(claim.RunKey, now, cancellationToken);
        }

        public Task ReleaseAsync(IReadOnlyList<ClaimedDelivery> claims, CancellationToken cancellationToken) => ledger.ReleaseAsync(claims, cancellationToken);
    }
}

using Blog.Mail;

namespace Blog.MailingList;

/// <summary>
/// The list of subscribers, shaped for its callers: the sign-up pages, the CLI and (later) the digest sender. Every
/// change that also sends mail takes the mail with it, so both are written in one transaction: a sign-up is never
/// stored without its confirmation mail queued, and never the other way round. Addresses are looked up by
/// <see cref="EmailAddress.Key"/>, so one address in two cases is one subscriber, kept as first given; an id that an
/// upgrade merged into another still finds that other. Listing is in id order, read in keyset batches.
/// </summary>
public interface ISubscriberStore
{
    Task<Subscriber?> FindAsync(long id, CancellationToken cancellationToken);

    Task<Subscriber?> FindAsync(EmailAddress address, CancellationToken cancellationToken);

    /// <summary>
    /// A sign-up from the form. A new address, or one that had left, becomes pending and gets a confirmation; a
    /// pending one gets its choices updated and another confirmation only if the last is older than
    /// <paramref name="resendAfter"/>; an active one is left alone.
    /// </summary>
    Task<SignUpResult> SignUpAsync(SubscriberDraft draft, DateTimeOffset now, TimeSpan resendAfter,
        Func<Subscriber, QueuedMail> confirmation, CancellationToken cancellationToken);

    /// <summary>
    /// Adds every new address of <paramref name="drafts"/>, or none of them. Known addresses are left as they are, and
    /// addresses erased after a spam complaint are not added (<see cref="ImportResult.Suppressed"/>).
    /// </summary>
    /// <param name="confirmation">Called for each new pending address; null queues nothing.</param>
    Task<ImportResult> ImportAsync(IReadOnlyList<SubscriberDraft> drafts, DateTimeOffset now, Func<Subscriber, QueuedMail>? confirmation,
        IProgress<int>? progress, CancellationToken cancellationToken);

    /// <summary>
    /// Pending becomes active (the person's own double opt-in, which also lifts a suppression left by erasing them after a
    /// complaint). Returns the subscriber as it now is, or null when the id is unknown.
    /// </summary>
    /// <param name="welcome">The mail to queue with the change, when it is one (pending became active); null queues nothing.</param>
    Task<Subscriber?> ConfirmAsync(long id, DateTimeOffset now, Func<Subscriber, QueuedMail>? welcome, CancellationToken cancellationToken);

    /// <summary>Any status but complained (which is final) becomes unsubscribed. Returns the subscriber as it now is, or null when the id is unknown.</summary>
    Task<Subscriber?> UnsubscribeAsync(long id, DateTimeOffset now, CancellationToken cancellationToken);

    Task<Subscriber?> UpdatePreferencesAsync(long id, ImmutableArray<string> tags, string cadence, CancellationToken cancellationToken);

    /// <summary>
    /// Erases the subscriber and everything sent or queued to them. False when the address is unknown. A complained
    /// address leaves a keyed hash behind, so no import adds it back; its own confirmed sign-up lifts it.
    /// </summary>
    Task<bool> ForgetAsync(EmailAddress address, CancellationToken cancellationToken);

    /// <summary>Every subscriber in id order, read in batches so a large list never sits in memory.</summary>
    IAsyncEnumerable<Subscriber> ListAsync(CancellationToken cancellationToken);

    Task<SubscriberCounts> CountAsync(CancellationToken cancellationToken);
}

using MimeKit;

namespace Blog.Mail;

/// <summary>
/// What <see cref="DeliveryPipeline{TClaim}"/> needs of a store of mail to send: claim under a lease, make the
/// message, settle. The digest ledger and the confirmation outbox are each a small one of these.
/// </summary>
internal interface ILeasedQueue<TClaim> where TClaim : class
{
    /// <summary>"digest" or "mail": names the kind in errors and log lines.</summary>
    string Noun { get; }

    Task<IReadOnlyList<TClaim>> ClaimAsync(DateTimeOffset now, TimeSpan lease, int max, CancellationToken cancellationToken);

    DateTimeOffset LeaseUntil(TClaim claim);

    /// <summary>Attempts made before this one.</summary>
    int Attempts(TClaim claim);

    /// <summary>The claim in a log line, without anything secret.</summary>
    string Describe(TClaim claim);

    /// <summary>
    /// The message to send, or null when there is nothing to send: the claim is then already settled, as
    /// <paramref name="claim"/>'s outcome says. Throws when the message cannot be made; the claim then fails.
    /// </summary>
    Task<(MimeMessage? Message, DeliveryOutcome Settled)> ComposeAsync(TClaim claim, CancellationToken cancellationToken);

    /// <summary>The envelope sender this claim's message goes out with (its return address), or null for the header From.</summary>
    MailboxAddress? EnvelopeSender(TClaim claim);

    Task CompleteAsync(TClaim claim, DateTimeOffset now, CancellationToken cancellationToken);

    Task RetryAsync(TClaim claim, DateTimeOffset at, string reason, CancellationToken cancellationToken);

    /// <param name="bounce">The server refused the recipient for good (a 5xx reply).</param>
    Task FailAsync(TClaim claim, string reason, bool bounce, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Hands claims back untried, at once, not when their lease ends.</summary>
    Task ReleaseAsync(IReadOnlyList<TClaim> claims, CancellationToken cancellationToken);
}

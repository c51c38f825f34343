namespace Blog.MailingList;

/// <summary>
/// One digest run's delivery to a subscriber: <see cref="Outcome"/> is the ledger's status (pending, sent, skipped,
/// failed), <see cref="At"/> when it was settled (or, while pending, when it is next tried), <see cref="LastError"/> the
/// mail server's last answer when it refused or deferred.
/// </summary>
public sealed record SubscriberDelivery(string RunKey, string Cadence, string Outcome, string MessageId, DateTimeOffset At, int Attempts, string? LastError);

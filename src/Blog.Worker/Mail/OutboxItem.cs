namespace Blog.Mail;

/// <summary>A queued mail claimed for sending; the claim is a lease, so a sender that dies lets another take it.</summary>
public sealed record OutboxItem(long Id, string Recipient, string MessageId, byte[] Mime, int Attempts)
{
    /// <summary>When the claim ends: after it, another sender may claim the item again.</summary>
    public DateTimeOffset LeaseUntil { get; init; }

    /// <summary>Whom the mail is to, when it is to a subscriber (a confirmation, a welcome): its return address names them.</summary>
    public long? SubscriberId { get; init; }
}

namespace Blog.MailingList;

/// <summary>
/// One address on the list. <see cref="Tags"/> empty means every post. <see cref="LinkKey"/> is random, made when the
/// subscriber is, and carried by every link mailed to them, so a link reaches no one else even if an id were reused;
/// it is null for subscribers from before it existed, whose links have always been without it.
/// </summary>
public sealed record Subscriber(
    long Id,
    string Address,
    SubscriberStatus Status,
    ImmutableArray<string> Tags,
    string Cadence,
    DateTimeOffset CreatedAt,
    DateTimeOffset? ConfirmedAt,
    DateTimeOffset? ConfirmationSentAt,
    DateTimeOffset? UnsubscribedAt,
    DateTimeOffset? Watermark,
    int Bounces,
    string? LinkKey = null)
{
    // ImmutableArray compares by reference; two reads of one subscriber must be equal.
    public bool Equals(Subscriber? other) =>
        other is not null && Id == other.Id && Address == other.Address && Status == other.Status && Tags.SequenceEqual(other.Tags)
        && Cadence == other.Cadence && CreatedAt == other.CreatedAt && ConfirmedAt == other.ConfirmedAt
        && ConfirmationSentAt == other.ConfirmationSentAt && UnsubscribedAt == other.UnsubscribedAt && Watermark == other.Watermark
        && Bounces == other.Bounces && LinkKey == other.LinkKey;

    public override int GetHashCode() => HashCode.Combine(Id, Address, Status);
}

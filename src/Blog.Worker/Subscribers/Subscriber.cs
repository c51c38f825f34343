namespace Blog.Subscribers;

/// <summary>One address on the list. <see cref="Tags"/> empty means every post.</summary>
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
    int Bounces)
{
    // ImmutableArray compares by reference; two reads of one subscriber must be equal.
    public bool Equals(Subscriber? other) =>
        other is not null && Id == other.Id && Address == other.Address && Status == other.Status && Tags.SequenceEqual(other.Tags)
        && Cadence == other.Cadence && CreatedAt == other.CreatedAt && ConfirmedAt == other.ConfirmedAt
        && ConfirmationSentAt == other.ConfirmationSentAt && UnsubscribedAt == other.UnsubscribedAt && Watermark == other.Watermark
        && Bounces == other.Bounces;

    public override int GetHashCode() => HashCode.Combine(Id, Address, Status);
}

using Blog.MailingList;

namespace Blog.Digests;

/// <summary>A pending delivery claimed for sending, with its subscriber as they are now.</summary>
/// <param name="LeaseUntil">When the claim ends: after it, another sender may claim the delivery again.</param>
public sealed record ClaimedDelivery(string RunKey, Subscriber Subscriber, ImmutableArray<string> PostIds, DateTimeOffset? Watermark,
    string MessageId, int Attempts, DateTimeOffset LeaseUntil)
{
    /// <summary>New posts the mail leaves out for its size (<see cref="DigestsOptions.MaxPosts"/>).</summary>
    public int More { get; init; }
}

namespace Blog.Digests;

/// <summary>One subscriber's part of a run, as planned: the post ids (oldest first) and the watermark they move to.</summary>
/// <param name="More">New posts not listed in the mail (over <see cref="DigestsOptions.MaxPosts"/>); it links to them.</param>
public sealed record PlannedDelivery(long SubscriberId, ImmutableArray<string> PostIds, DateTimeOffset? Watermark, string MessageId, int More = 0)
{
    /// <summary>
    /// The subscriber's watermark the posts were chosen after. If it moved before the delivery is written (their
    /// digest of an earlier run was sent meanwhile), these posts may be the ones just sent: the delivery is skipped.
    /// </summary>
    public DateTimeOffset? PlannedAfter { get; init; }

    public bool IsEmpty => PostIds.IsEmpty;
}

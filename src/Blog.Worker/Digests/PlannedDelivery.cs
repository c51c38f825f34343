namespace Blog.Digests;

/// <summary>One subscriber's part of a run, as planned: the post ids (oldest first) and the watermark they move to.</summary>
/// <param name="More">New posts not listed in the mail (over <see cref="DigestsOptions.MaxPosts"/>); it links to them.</param>
public sealed record PlannedDelivery(long SubscriberId, ImmutableArray<string> PostIds, DateTimeOffset? Watermark, string MessageId, int More = 0)
{
    public bool IsEmpty => PostIds.IsEmpty;
}

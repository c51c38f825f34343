namespace Blog.Digests;

/// <summary>One subscriber's part of a run, as planned: the post ids (oldest first) and the watermark they move to.</summary>
public sealed record PlannedDelivery(long SubscriberId, ImmutableArray<string> PostIds, DateTimeOffset? Watermark, string MessageId)
{
    public bool IsEmpty => PostIds.IsEmpty;
}

namespace Blog.Feedback;

/// <summary>
/// Who and what a report is about, as far as the report tells. The store looks for the subscriber in this order: a
/// verified <see cref="SubscriberId"/> (from a signed return path), the <see cref="MessageId"/> of the mail we sent,
/// then the <see cref="Address"/>. <see cref="RunKey"/> ties a digest's bounce to its run, when known.
/// </summary>
public sealed record FeedbackTarget(long? SubscriberId = null, string? RunKey = null, string? MessageId = null, string? Address = null)
{
    /// <summary>The run a signed return path names only by its <see cref="ReturnAddress.RunRef"/>; the store matches it among the subscriber's runs.</summary>
    public uint? RunRef { get; init; }
}

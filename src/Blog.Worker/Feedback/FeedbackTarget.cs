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

    /// <summary>
    /// Whether the caller vouches that the report really comes about this target: a <see cref="MessageId"/> it checked
    /// with <c>MessageIdMint.IsMinted</c> (guessable legacy ids are not), or an address a provider's verified signature
    /// names. A <see cref="SubscriberId"/> is trusted in any case: it only ever comes from a verified signed token. A
    /// complaint about an untrusted target is recorded as an unsubscribe: it takes them off the list, but not for good.
    /// </summary>
    public bool Trusted { get; init; }
}

namespace Blog.Feedback;

/// <summary>What a signed return path or unsubscribe address names, once its MAC checked out.</summary>
/// <param name="Kind"><see cref="ReturnAddress.Digest"/>, <see cref="ReturnAddress.Mail"/> or <see cref="ReturnAddress.Unsubscribe"/>.</param>
/// <param name="Ref">For a digest the <see cref="ReturnAddress.RunRef"/> of its run, for a queued mail its outbox id, else 0.</param>
public sealed record ReturnToken(char Kind, long SubscriberId, ulong Ref)
{
    /// <summary>The report's target as far as the token tells: the subscriber, and a digest's run by its ref.</summary>
    public FeedbackTarget Target => new(SubscriberId) { RunRef = Kind == ReturnAddress.Digest ? (uint)Ref : null };
}

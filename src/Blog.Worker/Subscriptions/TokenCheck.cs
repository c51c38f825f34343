namespace Blog.Subscriptions;

/// <summary>
/// What a token check found. <see cref="SubscriberId"/> is set only for a genuine token; <see cref="LinkKey"/> is the
/// key the token carries (none for a token from before link keys), for <see cref="SubscriberTokens.CheckAsync"/> to compare.
/// </summary>
public sealed record TokenCheck(bool IsValid, bool IsExpired, long SubscriberId, string? LinkKey = null)
{
    public static readonly TokenCheck Invalid = new(false, false, 0);

    /// <summary>The subscriber the token reaches, as <see cref="SubscriberTokens.CheckAsync"/> found them; null when no one holds the id.</summary>
    public Blog.MailingList.Subscriber? Subscriber { get; init; }

    public static TokenCheck Valid(long id) => new(true, false, id);

    public static TokenCheck Expired(long id) => new(false, true, id);
}

namespace Blog.Subscriptions;

/// <summary>What a token check found. <see cref="SubscriberId"/> is set only for a genuine token.</summary>
public sealed record TokenCheck(bool IsValid, bool IsExpired, long SubscriberId)
{
    public static readonly TokenCheck Invalid = new(false, false, 0);

    public static TokenCheck Valid(long id) => new(true, false, id);

    public static TokenCheck Expired(long id) => new(false, true, id);
}

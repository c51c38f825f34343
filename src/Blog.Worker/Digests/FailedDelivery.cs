namespace Blog.Digests;

/// <summary>A delivery refused for good: to whom, after how many attempts, and the server's words (<c>last_error</c>).</summary>
public sealed record FailedDelivery(long SubscriberId, string Address, int Attempts, string? LastError, DateTimeOffset? SettledAt);

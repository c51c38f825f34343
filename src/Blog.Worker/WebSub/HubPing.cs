namespace Blog.WebSub;

/// <summary>A ping a hub has not taken yet: <paramref name="Feed"/> changed at <paramref name="ChangedAt"/> (Unix milliseconds).</summary>
public sealed record HubPing(Uri Hub, Uri Feed, long ChangedAt);

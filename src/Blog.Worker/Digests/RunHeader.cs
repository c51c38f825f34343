namespace Blog.Digests;

/// <summary>A run as opened: its cadence, when, and whether its planning finished (null while planning, or interrupted).</summary>
public sealed record RunHeader(string Key, string Cadence, DateTimeOffset CreatedAt, DateTimeOffset? PlannedAt);

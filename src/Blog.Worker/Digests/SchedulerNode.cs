namespace Blog.Digests;

/// <summary>A node of the digest scheduler's cluster, and when it last told the others it was alive.</summary>
public sealed record SchedulerNode(string Name, DateTimeOffset LastCheckIn, TimeSpan CheckInInterval);

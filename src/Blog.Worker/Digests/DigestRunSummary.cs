namespace Blog.Digests;

/// <summary>A run and how its deliveries stand, for <c>blog digest status</c>.</summary>
public sealed record DigestRunSummary(string Key, string Cadence, DateTimeOffset CreatedAt, bool Planned, int Sent, int Skipped, int Failed, int Pending)
{
    /// <summary>Every delivery the run planned; each is sent, skipped, failed or still pending.</summary>
    public int Deliveries => Sent + Skipped + Failed + Pending;
}

namespace Blog.Digests;

/// <summary>A run and how its deliveries stand, for <c>blog digest status</c>, with what came back about it.</summary>
/// <param name="HardBounces">Recipients of the run with a hard bounce recorded (at send time or reported later); likewise the soft bounces and complaints.</param>
public sealed record DigestRunSummary(string Key, string Cadence, DateTimeOffset CreatedAt, bool Planned, int Sent, int Skipped, int Failed, int Pending,
    int HardBounces = 0, int SoftBounces = 0, int Complaints = 0)
{
    /// <summary>Every delivery the run planned; each is sent, skipped, failed or still pending.</summary>
    public int Deliveries => Sent + Skipped + Failed + Pending;
}

namespace Blog.Feedback;

/// <summary>
/// A digest run's mail as reported back: how much went, and what came back about it. <paramref name="Failed"/> were
/// refused at send time (they went, and count toward the rates); <paramref name="Pending"/> have not gone yet.
/// </summary>
public sealed record RunFeedback(string RunKey, int Sent, int HardBounces, int SoftBounces, int Complaints, int Failed = 0, int Skipped = 0, int Pending = 0);

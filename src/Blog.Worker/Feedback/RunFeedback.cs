namespace Blog.Feedback;

/// <summary>A digest run's mail as reported back: how much went, and what came back about it.</summary>
public sealed record RunFeedback(string RunKey, int Sent, int HardBounces, int SoftBounces, int Complaints);

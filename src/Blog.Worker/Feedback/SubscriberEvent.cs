namespace Blog.Feedback;

/// <summary>One recorded report against a subscriber, for their history (CLI, export).</summary>
public sealed record SubscriberEvent(long SubscriberId, FeedbackKind Kind, string Source, DateTimeOffset At, string? RunKey, string Diagnostic);

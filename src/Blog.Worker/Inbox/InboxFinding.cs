using Blog.Feedback;

namespace Blog.Inbox;

/// <summary>One recipient's fate in a report (a DSN can name several).</summary>
public sealed record InboxFinding(FeedbackKind Kind, FeedbackTarget Target, string Diagnostic);

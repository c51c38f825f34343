namespace Blog.Feedback;

/// <summary>
/// One report about one recipient, from the mailbox, a provider's webhook or an SMTP reply.
/// </summary>
/// <param name="Key">
/// What makes the report itself unique (the report's Message-ID, its hash, a provider's event id): the same key is
/// acted on once, however often it arrives.
/// </param>
/// <param name="Source"><c>smtp</c>, <c>imap</c>, <c>pop3</c>, <c>ses</c>, <c>postmark</c>, <c>mailgun</c>, <c>sendgrid</c> or <c>events</c>.</param>
/// <param name="Diagnostic">What the reporter said (the DSN's diagnostic code, the provider's reason), bounded in length by the store.</param>
public sealed record FeedbackEvent(string Key, FeedbackKind Kind, string Source, DateTimeOffset At, FeedbackTarget Target, string Diagnostic);

namespace Blog.Mail;

/// <param name="TransientError">Why the round stopped early, when the transport failed in a way that may pass.</param>
public sealed record OutboxRound(int Sent, int Failed, int Deferred, string? TransientError);

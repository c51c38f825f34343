namespace Blog.Mail;

/// <param name="Pending">Waiting to be sent, retries included.</param>
/// <param name="Failed">Given up on; each keeps the error that ended it.</param>
public sealed record OutboxCounts(int Pending, int Failed);

namespace Blog.Mail;

/// <param name="Deferred">Tried and failed for now: retried later, with backoff.</param>
/// <param name="Released">Claimed but handed back untried (the round stopped first), due again at once.</param>
/// <param name="TransientError">Why the round stopped early, when the transport failed in a way that may pass.</param>
public sealed record OutboxRound(int Sent, int Failed, int Deferred, int Released, string? TransientError)
{
    /// <summary>
    /// The round stopped on a failure of the mail setup (<see cref="MailDeliveryException.StopSending"/>), named in
    /// <see cref="TransientError"/>; nothing more will go until the owner fixes it.
    /// </summary>
    public bool StoppedSending { get; init; }
}

namespace Blog.Mail;

/// <summary>What one <see cref="DeliveryPipeline{TClaim}"/> round did.</summary>
/// <param name="Released">Claimed but handed back untried (the round stopped), still pending.</param>
internal sealed record DeliveryRound(int Sent, int Skipped, int Failed, int Deferred, int Released)
{
    /// <summary>
    /// The mail setup failed (<see cref="MailDeliveryException.StopSending"/>), now or lately (<see cref="SendingPause"/>):
    /// nothing more goes until the owner fixes it.
    /// </summary>
    public string? SetupError { get; init; }

    /// <summary>Why the round stopped early: the setup failed, or the server failed <see cref="MailOptions.ErrorBudget"/> times in a row.</summary>
    public string? Paused { get; init; }

    /// <summary>The last transient failure of the round, when there was one.</summary>
    public string? LastError { get; init; }
}

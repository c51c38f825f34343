namespace Blog.Mail;

/// <summary>The outbox's rounds in the running service: sends what is due.</summary>
internal sealed partial class OutboxRounds(OutboxSender sender, ILogger<OutboxRounds> logger) : IDeliveryRounds
{
    public string Name => "Mail";

    public async Task RoundAsync(CancellationToken cancellationToken)
    {
        var round = await sender.SendDueAsync(null, cancellationToken);
        if (round.Sent + round.Failed > 0) Log.Round(logger, round.Sent, round.Failed);
    }

    public Task WaitForWakeAsync(TimeSpan timeout, CancellationToken cancellationToken) => sender.WaitForWakeAsync(timeout, cancellationToken);

    private static partial class Log
    {
        [LoggerMessage(LogEvents.OutboxRounds.Round, LogLevel.Information, "Mail: {Sent} sent, {Failed} failed")]
        public static partial void Round(ILogger logger, int sent, int failed);
    }
}

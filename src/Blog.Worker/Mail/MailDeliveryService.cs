using Microsoft.Extensions.Hosting;

namespace Blog.Mail;

/// <summary>In the running service: sends the outbox when something is queued, and every poll interval for retries.</summary>
internal sealed partial class MailDeliveryService(OutboxSender sender, IOptions<MailOptions> options, ILogger<MailDeliveryService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var round = await sender.SendDueAsync(null, stoppingToken);
                if (round.Sent + round.Failed > 0) Log.Round(logger, round.Sent, round.Failed);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (Storage.Database.IsDriverError(e))
            {
                // The queue stays in the database; the next round picks it up.
                Log.StoreFailed(logger, e.Message);
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                // Whatever it was, it must not stop the host (and the feeds with it); claimed mail is released by its lease.
                Log.RoundFailed(logger, e);
            }
            try
            {
                await sender.WaitForWakeAsync(options.Value.PollInterval, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "Mail: {Sent} sent, {Failed} failed")]
        public static partial void Round(ILogger logger, int sent, int failed);

        [LoggerMessage(2, LogLevel.Error, "Mail: cannot read the outbox: {Error}")]
        public static partial void StoreFailed(ILogger logger, string error);

        [LoggerMessage(3, LogLevel.Error, "Mail: sending failed unexpectedly; trying again at the next round")]
        public static partial void RoundFailed(ILogger logger, Exception exception);
    }
}

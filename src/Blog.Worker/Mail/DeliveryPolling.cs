using Microsoft.Extensions.Hosting;

namespace Blog.Mail;

/// <summary>
/// In the running service: runs a round of <typeparamref name="TRounds"/> at start, again when woken (something was
/// queued or planned), and every <see cref="MailOptions.PollInterval"/> for retries that came due and for what a CLI
/// command queued. Nothing a round throws stops the host: what is pending stays in the store for the next round.
/// </summary>
internal sealed partial class DeliveryPolling<TRounds>(TRounds rounds, IOptions<MailOptions> options, ILogger<DeliveryPolling<TRounds>> logger)
    : BackgroundService where TRounds : IDeliveryRounds
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await rounds.RoundAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (Storage.Database.IsDriverError(e))
            {
                Log.StoreFailed(logger, rounds.Name, e.Message);
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                // Whatever it was, it must not stop the host (and the feeds with it); claims are released by their lease.
                Log.RoundFailed(logger, rounds.Name, e);
            }
            try
            {
                await rounds.WaitForWakeAsync(options.Value.PollInterval, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private static partial class Log
    {
        [LoggerMessage(LogEvents.DeliveryPolling.StoreFailed, LogLevel.Error, "{Name}: cannot read the store: {Error}")]
        public static partial void StoreFailed(ILogger logger, string name, string error);

        [LoggerMessage(LogEvents.DeliveryPolling.RoundFailed, LogLevel.Error, "{Name}: a round failed unexpectedly; what is pending waits for the next")]
        public static partial void RoundFailed(ILogger logger, string name, Exception exception);
    }
}

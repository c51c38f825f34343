using Microsoft.Extensions.Hosting;

namespace Blog.Readership;

/// <summary>
/// In the running service: flushes the <see cref="ReadershipRecorder"/> every <see cref="ReadershipOptions.FlushInterval"/>,
/// and once more at stop. A failed flush loses that batch (readership is an estimate), never the service.
/// </summary>
internal sealed partial class ReadershipFlusher(ReadershipRecorder recorder, IOptions<ReadershipOptions> options, TimeProvider time,
    ILogger<ReadershipFlusher> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.FlushInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken)) await FlushAsync(stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        await FlushAsync(cancellationToken);
    }

    private async Task FlushAsync(CancellationToken cancellationToken)
    {
        try
        {
            await recorder.FlushAsync(cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        catch (Exception e) when (Storage.Database.IsDriverError(e))
        {
            Log.FlushFailed(logger, e.Message);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(LogEvents.Readership.FlushFailed, LogLevel.Warning, "Feed readership: cannot write to the store, this batch is not counted: {Error}")]
        public static partial void FlushFailed(ILogger logger, string error);
    }
}

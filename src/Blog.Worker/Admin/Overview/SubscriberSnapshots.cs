using Blog.MailingList;
using Blog.Storage;
using Microsoft.Extensions.Hosting;

namespace Blog.Admin.Overview;

/// <summary>
/// Keeps <c>subscriber_daily</c> up to date while the service runs: at start it fills in the days it has no row for
/// (reconstructed, see <see cref="SqlSubscriberHistory.ReconstructAsync"/>), then writes today's row every few
/// minutes, and the day's last one just after midnight (UTC). Every node does so; the last write of a day wins.
/// </summary>
internal sealed partial class SubscriberSnapshots(ISubscriberHistory history, TimeProvider time, ILogger<SubscriberSnapshots> logger) : BackgroundService
{
    /// <summary>How stale today's counts in the charts may be; one pass over the list each time.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromMinutes(5);

    /// <summary>The longest range the overview shows, and a day more: a week that starts before it.</summary>
    public const int DaysKept = 372;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        DateOnly? reconstructed = null;
        DateOnly? last = null;
        while (!stoppingToken.IsCancellationRequested)
        {
            var now = time.GetUtcNow();
            var today = DateOnly.FromDateTime(now.UtcDateTime);
            try
            {
                if (reconstructed is null)
                {
                    var days = await history.ReconstructAsync(today, DaysKept, stoppingToken);
                    if (days > 0) Log.Reconstructed(logger, days);
                    reconstructed = today;
                }
                // The day just ended gets its final counts, as they stood at midnight.
                if (last is { } previous && previous < today) await history.SnapshotAsync(previous, stoppingToken);
                await history.SnapshotAsync(today, stoppingToken);
                last = today;
            }
            catch (Exception e) when (Database.IsDriverError(e) && !stoppingToken.IsCancellationRequested)
            {
                Log.Failed(logger, e.Message);
            }
            var midnight = new DateTimeOffset(today.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
            var wait = midnight - now + TimeSpan.FromSeconds(1);
            try
            {
                await Task.Delay(wait < Interval ? wait : Interval, time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private static partial class Log
    {
        [LoggerMessage(LogEvents.SubscriberSnapshots.Reconstructed, LogLevel.Information,
            "Reconstructed the subscriber counts of {Days} past days from the list's own dates, for the console's charts")]
        public static partial void Reconstructed(ILogger logger, int days);

        [LoggerMessage(LogEvents.SubscriberSnapshots.Failed, LogLevel.Warning, "Could not record today's subscriber counts, trying again in a few minutes: {Reason}")]
        public static partial void Failed(ILogger logger, string reason);
    }
}

using System.Diagnostics.Metrics;
using Blog.Operations;

namespace Blog.Mail;

/// <summary>
/// The mail's instruments (meter <c>Blog.Mail</c>): the outbox depth, read from the database, so in a cluster every
/// node reports the same shared number. A scrape is answered from the last count and starts a new one when that is
/// older than <see cref="OperationsOptions.OutboxDepthCacheTime"/>: however often it is scraped, the database is asked
/// at most that often, and a slow database never holds up the scrape.
/// </summary>
public sealed partial class MailMetrics
{
    public const string MeterName = "Blog.Mail";

    private static readonly TimeSpan CountTimeout = TimeSpan.FromSeconds(30);

    private readonly IMailOutbox outbox;
    private readonly TimeProvider time;
    private readonly TimeSpan cacheTime;
    private readonly ILogger<MailMetrics> logger;
    private OutboxCounts? last;
    private long countedAt; // UTC ticks (0: never), read and written whole
    private int counting;

    public MailMetrics(IMeterFactory meters, IMailOutbox outbox, TimeProvider time, IOptions<OperationsOptions> options, ILogger<MailMetrics> logger)
    {
        this.outbox = outbox;
        this.time = time;
        this.logger = logger;
        cacheTime = options.Value.OutboxDepthCacheTime;
        meters.Create(MeterName).CreateObservableGauge("blog.outbox.depth", Observe, "{message}",
            "Mails in the outbox (confirmations, welcomes, notices) by state: pending (waiting or retrying) and failed (given up).");
    }

    private IEnumerable<Measurement<int>> Observe()
    {
        if (time.GetUtcNow().UtcTicks - Interlocked.Read(ref countedAt) >= cacheTime.Ticks && Interlocked.CompareExchange(ref counting, 1, 0) == 0)
            _ = CountAsync();
        if (Volatile.Read(ref last) is not { } counts) return [];
        return
        [
            new(counts.Pending, new KeyValuePair<string, object?>("blog.outbox.state", "pending")),
            new(counts.Failed, new KeyValuePair<string, object?>("blog.outbox.state", "failed")),
        ];
    }

    private async Task CountAsync()
    {
        try
        {
            using var timeout = new CancellationTokenSource(CountTimeout);
            Volatile.Write(ref last, await outbox.CountAsync(timeout.Token));
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // The gauge keeps its last value (the readiness check reports the database); a scrape must never fail for it.
            Log.CountFailed(logger, e.Message);
        }
        finally
        {
            Interlocked.Exchange(ref countedAt, time.GetUtcNow().UtcTicks);
            Volatile.Write(ref counting, 0);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(LogEvents.MailMetrics.CountFailed, LogLevel.Debug, "The outbox could not be counted for the metrics: {Reason}")]
        public static partial void CountFailed(ILogger logger, string reason);
    }
}

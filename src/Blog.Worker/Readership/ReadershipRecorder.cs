using System.Net;

namespace Blog.Readership;

/// <summary>
/// Takes note of each feed request without holding up its answer: <see cref="Record"/> only puts it in a bounded
/// buffer (a full buffer drops it, and counts it); <see cref="FlushAsync"/>, every few seconds, turns the buffer into
/// aggregators' counts and salted reader marks and writes them in one transaction, then folds days that are over.
/// Network prefixes live only in this buffer, for seconds; what is written is the salted hash.
/// </summary>
public sealed partial class ReadershipRecorder(ReadershipBuffer buffer, IReadershipStore store, IOptions<ReadershipOptions> options, TimeProvider time,
    ILogger<ReadershipRecorder> logger) : IDisposable
{
    /// <summary>
    /// How long after midnight (UTC) a day's marks are folded and its salt discarded: a node's buffer of the last
    /// seconds of the day is written under that day's salt first. Requests older than this when flushed are dropped.
    /// </summary>
    public static readonly TimeSpan FoldGrace = TimeSpan.FromMinutes(10);

    private readonly SemaphoreSlim flushing = new(1, 1);
    private readonly Dictionary<DateOnly, byte[]> salts = [];
    private DateOnly folded = DateOnly.MinValue;
    private long reported;

    /// <summary>Requests not counted: the buffer was full, or they were flushed too late for their day.</summary>
    public long Dropped => buffer.Dropped;

    public static DateOnly DayOf(DateTimeOffset at) => DateOnly.FromDateTime(at.UtcDateTime);

    /// <inheritdoc cref="ReadershipBuffer.Record"/>
    public void Record(string feed, string? userAgent, IPAddress? client) => buffer.Record(feed, userAgent, client);

    /// <summary>Writes what was buffered, then folds the days that are over. One flush at a time.</summary>
    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        await flushing.WaitAsync(cancellationToken);
        try
        {
            var now = time.GetUtcNow();
            var current = DayOf(now - FoldGrace);
            var aggregators = new Dictionary<(DateOnly, string, string), AggregatorSighting>();
            var marks = new HashSet<ReaderMark>();
            // At most a buffer's worth: requests arriving meanwhile wait for the next flush.
            for (var i = 0; i < options.Value.BufferSize && buffer.TryRead(out var request); i++)
            {
                var day = DayOf(request.At);
                if (day < current)
                {
                    buffer.Drop();
                    continue;
                }
                if (AggregatorReport.TryParse(request.UserAgent, out var report))
                {
                    var key = (day, request.Feed, report.Aggregator);
                    if (!aggregators.TryGetValue(key, out var was) || was.SeenAt <= request.At)
                        aggregators[key] = new AggregatorSighting(day, request.Feed, report.Aggregator, report.Subscribers, request.At);
                }
                else marks.Add(new ReaderMark(day, request.Feed, ReaderKey.Of(await SaltAsync(day, cancellationToken), request.Network, request.UserAgent)));
            }
            await store.RecordAsync(new ReadershipBatch([.. aggregators.Values], [.. marks]), options.Value.Limits(), cancellationToken);
            if (current > folded)
            {
                await store.FoldAsync(current, cancellationToken);
                folded = current;
                foreach (var day in salts.Keys.Where(d => d < current).ToList()) salts.Remove(day);
            }
            var total = Dropped;
            if (total > reported) Log.Dropped(logger, total - reported);
            reported = total;
        }
        finally
        {
            flushing.Release();
        }
    }

    private async Task<byte[]> SaltAsync(DateOnly day, CancellationToken cancellationToken)
    {
        if (!salts.TryGetValue(day, out var salt)) salts[day] = salt = await store.SaltAsync(day, cancellationToken);
        return salt;
    }

    public void Dispose() => flushing.Dispose();

    private static partial class Log
    {
        [LoggerMessage(LogEvents.Readership.Dropped, LogLevel.Warning,
            "{Count} feed requests were not counted: more came between flushes than Readership:BufferSize holds, or they were flushed after their day was over")]
        public static partial void Dropped(ILogger logger, long count);
    }
}

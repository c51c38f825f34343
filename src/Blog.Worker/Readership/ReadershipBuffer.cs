using System.Net;
using System.Threading.Channels;

namespace Blog.Readership;

/// <summary>
/// Feed requests waiting for the next flush (<see cref="ReadershipRecorder"/>): <see cref="Record"/> never waits, a
/// full buffer drops the request and counts it. Network prefixes live only here, for seconds.
/// </summary>
public sealed class ReadershipBuffer(IOptions<ReadershipOptions> options, TimeProvider time)
{
    internal readonly record struct Request(DateTimeOffset At, string Feed, string? UserAgent, byte[] Network);

    // Made at the first request, not with the site's endpoint: bad settings are reported by the start's validation, not here.
    private Channel<Request>? channel;
    private long dropped;

    /// <summary>Requests not counted: the buffer was full, or they were flushed too late for their day.</summary>
    public long Dropped => Interlocked.Read(ref dropped);

    private Channel<Request> Channel => LazyInitializer.EnsureInitialized(ref channel, () =>
        System.Threading.Channels.Channel.CreateBounded<Request>(new BoundedChannelOptions(options.Value.BufferSize)
        {
            FullMode = BoundedChannelFullMode.Wait, // with TryWrite: refused at once when full, never waited for
            SingleReader = true,
        }));

    /// <param name="feed">The feed's path below the site (<c>feed.xml</c>, <c>tags/x/atom.xml</c>).</param>
    public void Record(string feed, string? userAgent, IPAddress? client)
    {
        if (!options.Value.Enabled) return;
        // One character past the limit is enough to know it was too long.
        if (userAgent is { Length: > AggregatorReport.MaxUserAgentLength }) userAgent = userAgent[..(AggregatorReport.MaxUserAgentLength + 1)];
        if (!Channel.Writer.TryWrite(new Request(time.GetUtcNow(), feed, userAgent, ReaderKey.NetworkOf(client))))
            Interlocked.Increment(ref dropped);
    }

    internal bool TryRead(out Request request) => Channel.Reader.TryRead(out request);

    internal void Drop() => Interlocked.Increment(ref dropped);
}

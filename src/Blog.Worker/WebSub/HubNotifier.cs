using System.Threading.Channels;
using Blog.Feeds;
using Blog.Serving;
using Blog.Site;
using Microsoft.Extensions.Hosting;

namespace Blog.WebSub;

/// <summary>
/// Tells the configured WebSub hubs that a feed changed (<c>hub.mode=publish</c>), in the background. A failed ping
/// is retried with exponential backoff up to <see cref="FeedsOptions.HubAttempts"/> times, then logged as failed.
/// Only subscription documents (the feeds, not archive pages) are announced, and only when their bytes changed.
/// </summary>
public sealed partial class HubNotifier(IOptions<FeedsOptions> feeds, IOptions<SiteOptions> site, TimeProvider time,
    ILogger<HubNotifier> logger) : BackgroundService
{
    private readonly HttpClient http = new() { Timeout = TimeSpan.FromSeconds(30) };

    private readonly Channel<(Uri Hub, Uri Feed)> pings = Channel.CreateUnbounded<(Uri, Uri)>();
    private long sent;

    /// <summary>Pings that hubs accepted.</summary>
    public long Sent => Interlocked.Read(ref sent);

    public void Changed(IEnumerable<ServedDocument> documents)
    {
        foreach (var document in documents)
        {
            var name = Path.GetFileName(document.Path);
            if (name is not (FeedBuilder.RssFile or FeedBuilder.AtomFile or FeedBuilder.JsonFile)) continue;
            var feed = new Uri(site.Value.BaseUri, document.Path);
            foreach (var hub in feeds.Value.Hubs) pings.Writer.TryWrite((new Uri(hub), feed));
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await foreach (var (hub, feed) in pings.Reader.ReadAllAsync(stoppingToken))
            _ = Task.Run(() => PingAsync(hub, feed, stoppingToken), stoppingToken);
    }

    private async Task PingAsync(Uri hub, Uri feed, CancellationToken stoppingToken)
    {
        var delay = feeds.Value.HubRetryDelay;
        for (var attempt = 1; ; attempt++)
        {
            string failure;
            try
            {
                using var body = new FormUrlEncodedContent([new("hub.mode", "publish"), new("hub.url", feed.AbsoluteUri)]);
                using var response = await http.PostAsync(hub, body, stoppingToken);
                if (response.IsSuccessStatusCode)
                {
                    Interlocked.Increment(ref sent);
                    Log.Pinged(logger, hub, feed);
                    return;
                }
                failure = $"{(int)response.StatusCode} {response.ReasonPhrase}";
            }
            catch (HttpRequestException e)
            {
                failure = e.Message;
            }
            catch (TaskCanceledException) when (!stoppingToken.IsCancellationRequested)
            {
                failure = "timed out";
            }
            if (attempt >= feeds.Value.HubAttempts)
            {
                Log.GaveUp(logger, hub, feed, attempt, failure);
                return;
            }
            Log.Retrying(logger, hub, feed, failure, delay.TotalSeconds);
            await Task.Delay(delay, time, stoppingToken);
            delay *= 2;
        }
    }

    public override void Dispose()
    {
        http.Dispose();
        base.Dispose();
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Debug, "Told {Hub} that {Feed} changed")]
        public static partial void Pinged(ILogger logger, Uri hub, Uri feed);

        [LoggerMessage(2, LogLevel.Warning, "WebSub hub {Hub} refused the ping for {Feed} ({Failure}); retrying in {Seconds} s")]
        public static partial void Retrying(ILogger logger, Uri hub, Uri feed, string failure, double seconds);

        [LoggerMessage(3, LogLevel.Error, "WebSub hub {Hub} was not told that {Feed} changed: {Attempts} attempts failed, the last with {Failure}")]
        public static partial void GaveUp(ILogger logger, Uri hub, Uri feed, int attempts, string failure);
    }
}

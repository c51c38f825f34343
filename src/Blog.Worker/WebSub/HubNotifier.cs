using System.Threading.Channels;
using Blog.Feeds;
using Blog.Serving;
using Blog.Site;
using Blog.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Http.Resilience;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace Blog.WebSub;

/// <summary>
/// Tells the configured WebSub hubs that a feed changed (<c>hub.mode=publish</c>), in the background. Only
/// subscription documents (the feeds, not archive pages) are announced, and only when their bytes changed. Each ping
/// is recorded in the database first (<see cref="HubPingTable"/>) and its row deleted once the hub took it or it was
/// given up, so a ping that was pending when the service stopped is sent when it starts again, by whichever node
/// claims it. A ping is tried <see cref="FeedsOptions.HubAttempts"/> times by the HTTP client's resilience pipeline
/// (<see cref="ConfigurePipeline"/>), waiting <see cref="FeedsOptions.HubRetryDelay"/> and twice that each time.
/// While the database is unreachable the changes are kept in memory and the database is tried again after
/// <see cref="FeedsOptions.HubRetryDelay"/> (at least a second), doubling up to a minute; the outage is logged when it
/// begins and when it ends.
/// </summary>
public sealed partial class HubNotifier(IHttpClientFactory clients, HubPingTable table, IOptions<FeedsOptions> feeds, IOptions<SiteOptions> site,
    TimeProvider time, ILogger<HubNotifier> logger) : BackgroundService
{
    /// <summary>The named HTTP client whose pipeline retries pings.</summary>
    internal const string ClientName = "websub";

    /// <summary>Each attempt's bound: a hub that accepts the connection and never answers costs this, not forever.</summary>
    internal static readonly TimeSpan AttemptTimeout = TimeSpan.FromSeconds(30);

    /// <summary>The longest wait between attempts, however many there are.</summary>
    internal static readonly TimeSpan MaxRetryDelay = TimeSpan.FromHours(1);

    private static readonly HttpRequestOptionsKey<Uri> FeedKey = new("Blog.WebSub.Feed");

    // How often pings left by a node that died (their lease run out) are looked for; a change or a settled ping looks at once.
    private static readonly TimeSpan Recheck = TimeSpan.FromMinutes(1);

    private const int ClaimBatch = 64;

    // The waits between tries while the database is unreachable: never none (HubRetryDelay may be zero), and never so
    // long that the end of an outage goes unnoticed for more than a minute.
    private static readonly TimeSpan MinStoreRetryDelay = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan MaxStoreRetryDelay = TimeSpan.FromMinutes(1);

    /// <summary>Changed feeds not yet recorded; null only wakes the loop to claim again.</summary>
    private readonly Channel<(Uri Hub, Uri Feed)?> changes = Channel.CreateUnbounded<(Uri Hub, Uri Feed)?>(new UnboundedChannelOptions { SingleReader = true });

    /// <summary>Changes taken from the channel and not yet recorded; only the loop touches it.</summary>
    private readonly HashSet<(Uri Hub, Uri Feed)> pending = [];

    public void Changed(IEnumerable<ServedDocument> documents)
    {
        foreach (var document in documents)
        {
            var name = Path.GetFileName(document.Path);
            if (name is not (FeedBuilder.RssFile or FeedBuilder.AtomFile or FeedBuilder.JsonFile)) continue;
            var feed = new Uri(site.Value.BaseUri, document.Path);
            foreach (var hub in feeds.Value.Hubs) changes.Writer.TryWrite((new Uri(hub), feed));
        }
    }

    /// <summary>The retries and timeouts of the ping client, from <see cref="FeedsOptions.HubAttempts"/> and <see cref="FeedsOptions.HubRetryDelay"/>.</summary>
    internal static void ConfigurePipeline(ResiliencePipelineBuilder<HttpResponseMessage> pipeline, FeedsOptions options, TimeProvider time, ILogger<HubNotifier> logger)
    {
        pipeline.TimeProvider = time;
        if (options.HubAttempts > 1)
        {
            pipeline.AddRetry(new HttpRetryStrategyOptions
            {
                MaxRetryAttempts = options.HubAttempts - 1,
                Delay = options.HubRetryDelay,
                MaxDelay = MaxRetryDelay,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = false,
                // A hub's Retry-After would let it set our waits; the configured backoff is the bound.
                ShouldRetryAfterHeader = false,
                // Any refusal is worth another try, as any failure to reach the hub is.
                ShouldHandle = args => ValueTask.FromResult(args.Outcome is { Exception: HttpRequestException or TimeoutRejectedException }
                    or { Result.IsSuccessStatusCode: false }),
                OnRetry = args =>
                {
                    var request = args.Context.GetRequestMessage();
                    if (request?.Options.TryGetValue(FeedKey, out var feed) == true && request.RequestUri is { } hub)
                        Log.Retrying(logger, hub, feed, Failure(args.Outcome), args.RetryDelay.TotalSeconds);
                    return ValueTask.CompletedTask;
                },
            });
        }
        pipeline.AddTimeout(AttemptTimeout);
    }

    /// <summary>The longest one ping can take, every attempt timing out; a claim holds its row this long, so nobody sends it meanwhile.</summary>
    internal static TimeSpan Lease(FeedsOptions options)
    {
        var total = options.HubAttempts * AttemptTimeout + TimeSpan.FromMinutes(1);
        var delay = options.HubRetryDelay;
        for (var retry = 1; retry < options.HubAttempts; retry++)
        {
            total += delay < MaxRetryDelay ? delay : MaxRetryDelay;
            if (delay < MaxRetryDelay) delay *= 2;
        }
        return total;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var lease = Lease(feeds.Value);
        var sending = new List<Task>();
        var storeDown = false;
        var retry = FirstStoreRetry(feeds.Value);
        try
        {
            while (true)
            {
                try
                {
                    await RecordChangesAsync(stoppingToken);
                    sending.RemoveAll(t => t.IsCompleted);
                    foreach (var ping in await table.ClaimAsync(time.GetUtcNow(), lease, ClaimBatch, stoppingToken))
                        sending.Add(SendAsync(ping, stoppingToken));
                    if (storeDown) Log.StoreBack(logger);
                    storeDown = false;
                    retry = FirstStoreRetry(feeds.Value);
                }
                catch (Exception e) when (Database.IsDriverError(e))
                {
                    // Kept in pending or the table: the next look sends them. Not at once: the changes waiting would
                    // wake the loop straight away, and it would hammer the database as fast as it refuses.
                    if (!storeDown) Log.StoreDown(logger, e.Message);
                    storeDown = true;
                    await Task.Delay(retry, time, stoppingToken);
                    retry = TimeSpan.FromTicks(Math.Min(retry.Ticks * 2, MaxStoreRetryDelay.Ticks));
                    continue;
                }
                using var recheck = new CancellationTokenSource(Recheck, time);
                using var wait = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, recheck.Token);
                try
                {
                    await changes.Reader.WaitToReadAsync(wait.Token);
                }
                catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
                {
                }
            }
        }
        finally
        {
            // Feeds that changed just before the stop are recorded, so the next start announces them; not with the
            // stopping token, which is already cancelled, but bounded all the same.
            using var last = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            try
            {
                await RecordChangesAsync(last.Token);
            }
            catch (Exception e) when (Database.IsDriverError(e) || e is OperationCanceledException)
            {
                Log.StoreFailed(logger, e.Message);
            }
            await Task.WhenAll(sending);
        }
    }

    private static TimeSpan FirstStoreRetry(FeedsOptions options) =>
        options.HubRetryDelay < MinStoreRetryDelay ? MinStoreRetryDelay : options.HubRetryDelay > MaxStoreRetryDelay ? MaxStoreRetryDelay : options.HubRetryDelay;

    /// <summary>
    /// Drains the channel into <see cref="pending"/> and records that; on failure the changes stay there, each once
    /// however many times its feed changed meanwhile, for the next try.
    /// </summary>
    private async Task RecordChangesAsync(CancellationToken cancellationToken)
    {
        while (changes.Reader.TryRead(out var change))
            if (change is { } c) pending.Add(c);
        await table.RecordAsync(pending, time.GetUtcNow(), cancellationToken);
        pending.Clear();
    }

    private async Task SendAsync(HubPing ping, CancellationToken stoppingToken)
    {
        await Task.Yield();
        try
        {
            // A hub dropped from the settings since the change was recorded is not told.
            if (feeds.Value.Hubs.Any(h => new Uri(h) == ping.Hub))
            {
                var failure = await PingAsync(ping, stoppingToken);
                if (failure is null) Log.Pinged(logger, ping.Hub, ping.Feed);
                else Log.GaveUp(logger, ping.Hub, ping.Feed, feeds.Value.HubAttempts, failure);
            }
            await table.SettleAsync(ping, stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping mid-ping: the row goes back, so the next start (or another node) sends it now rather than when the lease runs out.
            using var release = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            try
            {
                await table.ReleaseAsync(ping, release.Token);
            }
            catch (Exception e) when (Database.IsDriverError(e) || e is OperationCanceledException)
            {
                Log.StoreFailed(logger, e.Message);
            }
            return;
        }
        catch (Exception e) when (Database.IsDriverError(e))
        {
            // The lease runs out and the ping is sent again: a hub told twice fetches twice, no harm.
            Log.StoreFailed(logger, e.Message);
        }
        changes.Writer.TryWrite(null);
    }

    /// <returns>Null when the hub took the ping, else the last failure.</returns>
    private async Task<string?> PingAsync(HubPing ping, CancellationToken stoppingToken)
    {
        var http = clients.CreateClient(ClientName);
        using var request = new HttpRequestMessage(HttpMethod.Post, ping.Hub)
        {
            Content = new FormUrlEncodedContent([new("hub.mode", "publish"), new("hub.url", ping.Feed.AbsoluteUri)]),
        };
        request.Options.Set(FeedKey, ping.Feed);
        try
        {
            using var response = await http.SendAsync(request, stoppingToken);
            return response.IsSuccessStatusCode ? null : Failure(response);
        }
        catch (HttpRequestException e)
        {
            return e.Message;
        }
        catch (TimeoutRejectedException)
        {
            return "timed out";
        }
    }

    private static string Failure(Outcome<HttpResponseMessage> outcome) =>
        outcome.Result is { } response ? Failure(response) : outcome.Exception is TimeoutRejectedException ? "timed out" : outcome.Exception?.Message ?? "no answer";

    private static string Failure(HttpResponseMessage response) => $"{(int)response.StatusCode} {response.ReasonPhrase}";

    private static partial class Log
    {
        [LoggerMessage(LogEvents.HubNotifier.Pinged, LogLevel.Debug, "Told {Hub} that {Feed} changed")]
        public static partial void Pinged(ILogger logger, Uri hub, Uri feed);

        [LoggerMessage(LogEvents.HubNotifier.Retrying, LogLevel.Warning, "WebSub hub {Hub} refused the ping for {Feed} ({Failure}); retrying in {Seconds} s")]
        public static partial void Retrying(ILogger logger, Uri hub, Uri feed, string failure, double seconds);

        [LoggerMessage(LogEvents.HubNotifier.GaveUp, LogLevel.Error, "WebSub hub {Hub} was not told that {Feed} changed: {Attempts} attempts failed, the last with {Failure}")]
        public static partial void GaveUp(ILogger logger, Uri hub, Uri feed, int attempts, string failure);

        [LoggerMessage(LogEvents.HubNotifier.StoreDown, LogLevel.Error, "WebSub pings cannot be stored, the database is unreachable ({Reason}); changed feeds are kept and tried again at growing intervals")]
        public static partial void StoreDown(ILogger logger, string reason);

        [LoggerMessage(LogEvents.HubNotifier.StoreBack, LogLevel.Information, "WebSub pings are stored again")]
        public static partial void StoreBack(ILogger logger);

        [LoggerMessage(LogEvents.HubNotifier.StoreFailed, LogLevel.Error, "The pending WebSub pings could not be read or written ({Reason}); they are tried again later")]
        public static partial void StoreFailed(ILogger logger, string reason);
    }
}

using System.Diagnostics;
using System.Threading.Channels;
using Blog.Feeds;
using Blog.Posts;
using Blog.Serving;
using Blog.WebSub;
using Microsoft.Extensions.Hosting;

namespace Blog.Hosting;

/// <summary>
/// Keeps the site current while the service runs: re-reads the files the watcher names (after a short debounce),
/// rescans the whole folder on a timer, and wakes when a scheduled post's time comes. Problems are logged when they
/// appear, not again on every pass; while the folder cannot be read, the last good site stays served.
/// </summary>
internal sealed partial class FeedRefreshService(FeedPublisher publisher, LiveSite site, PublishedPosts published, IOptions<PostsOptions> posts,
    TimeProvider time, ILogger<FeedRefreshService> logger, HubNotifier? hubs = null, FeedMetrics? metrics = null) : BackgroundService
{
    private readonly Channel<string?> changes = Channel.CreateUnbounded<string?>(); // not SingleReader: that one cannot count what it holds (QueuedChanges)
    private ImmutableHashSet<PostProblem> reported = [];
    private string? storeError;
    private string? reportedOutputError;
    private PostWatcher? watcher;

    /// <summary>While the folder cannot be read, how often to look again: an outage should end as soon as it ends.</summary>
    private static readonly TimeSpan OutageRetry = TimeSpan.FromSeconds(1);

    /// <summary>Raised when the loop starts waiting (its timer already set), with the time it will wake at unless a file changes: tests move a fake clock on this.</summary>
    internal event Action<DateTimeOffset>? Waiting;

    /// <summary>Raised when a change woke the loop and it starts letting the burst settle (its timer already set).</summary>
    internal event Action? Debouncing;

    /// <summary>File events received and not yet acted on.</summary>
    internal int QueuedChanges => changes.Reader.Count;

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        // Before any other service starts: digests read the posts this loop publishes, never the folder on their own.
        published.ExpectLive();
        return base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        watcher = TryWatch();
        try
        {
            await RunAsync(stoppingToken);
        }
        finally
        {
            watcher?.Dispose();
        }
    }

    private async Task RunAsync(CancellationToken stoppingToken)
    {
        var next = Update(null, stoppingToken);
        var nextRescan = NextRescan();
        while (!stoppingToken.IsCancellationRequested)
        {
            var wake = next is { } due && due < nextRescan ? due : nextRescan;
            var wait = wake - time.GetUtcNow();
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
            var changed = changes.Reader.WaitToReadAsync(timeout.Token).AsTask();
            var timer = Task.Delay(wait > TimeSpan.Zero ? wait : TimeSpan.Zero, time, timeout.Token);
            Waiting?.Invoke(wake);
            await Task.WhenAny(changed, timer);
            await timeout.CancelAsync();
            if (stoppingToken.IsCancellationRequested) break;

            if (changed.IsCompletedSuccessfully && changed.Result)
            {
                // Editors and sync tools write a file in several steps; let the burst settle.
                var settle = Task.Delay(posts.Value.Debounce, time, stoppingToken);
                Debouncing?.Invoke();
                await settle.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                next = Update(DrainChanges(), stoppingToken);
            }
            else if (time.GetUtcNow() >= nextRescan)
            {
                next = Update(null, stoppingToken);
                nextRescan = NextRescan();
            }
            else
            {
                // A scheduled post is due: no file changed, but what is published did.
                next = Update([], stoppingToken);
            }
            if (storeError is not null && nextRescan > NextRescan()) nextRescan = NextRescan();
        }
    }

    /// <summary>The paths the watcher named since the last update; null when any event asked for a full rescan.</summary>
    private HashSet<string>? DrainChanges()
    {
        var paths = new HashSet<string>(StringComparer.Ordinal);
        var full = false;
        while (changes.Reader.TryRead(out var path))
        {
            if (path is null) full = true;
            else paths.Add(path);
        }
        return full ? null : paths;
    }

    private DateTimeOffset NextRescan() => time.GetUtcNow() + (storeError is null ? posts.Value.RescanInterval : OutageRetry);

    private PostWatcher? TryWatch()
    {
        try
        {
            return new PostWatcher(published.ContentPath, changes.Writer);
        }
        catch (Exception e) when (e is IOException or ArgumentException or PlatformNotSupportedException)
        {
            Log.WatcherUnavailable(logger, published.ContentPath, e.Message);
            return null;
        }
    }

    private DateTimeOffset? Update(IReadOnlyCollection<string>? paths, CancellationToken stoppingToken)
    {
        try
        {
            var started = Stopwatch.GetTimestamp();
            var build = publisher.Build(paths, cancellationToken: stoppingToken);
            var read = Stopwatch.GetElapsedTime(started) - build.Phases.Plan - build.Phases.Render - build.Phases.Build;
            // Serve first: readers should not wait for the disk.
            site.Show(build);
            var servedAfter = Stopwatch.GetElapsedTime(started);
            var output = publisher.Write(build, stoppingToken);
            site.ReportOutputError(publisher.OutputError);
            if (storeError is not null)
            {
                Log.StoreBack(logger, published.ContentPath);
                // The folder is back, perhaps as a new directory: watch that one.
                watcher?.Dispose();
                watcher = TryWatch();
            }
            storeError = null;
            var phases = $"refresh {read.TotalMilliseconds:0.0}, plan {build.Phases.Plan.TotalMilliseconds:0.0}, render {build.Phases.Render.TotalMilliseconds:0.0}, " +
                $"build {build.Phases.Build.TotalMilliseconds:0.0}, write {(Stopwatch.GetElapsedTime(started) - servedAfter).TotalMilliseconds:0.0}";
            Report(build, output, servedAfter, Stopwatch.GetElapsedTime(started), phases);
            metrics?.Built(paths is null, Stopwatch.GetElapsedTime(started), build.Published.Length, build.Snapshot.Problems.Length);
            return build.NextScheduled;
        }
        catch (PostStoreException e)
        {
            if (storeError != e.Reason) Log.StoreUnreadable(logger, e.Folder, e.Reason);
            storeError = e.Reason;
            site.ReportStoreError(e.Message);
            return null;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // A bug must not take the feeds down: the last good site stays served, and the next change tries again.
            Log.UpdateFailed(logger, e);
            return null;
        }
    }

    private void Report(FeedBuild build, OutputReport output, TimeSpan servedAfter, TimeSpan elapsed, string phases)
    {
        var current = build.Snapshot.Problems.ToImmutableHashSet();
        foreach (var problem in current.Except(reported).OrderBy(p => p.Path, StringComparer.Ordinal)) Log.PostSkipped(logger, problem.ToString());
        foreach (var fixedProblem in reported.Except(current)) Log.PostFixed(logger, fixedProblem.Path);
        reported = current;
        var outputError = publisher.OutputError;
        if (outputError != reportedOutputError)
        {
            if (outputError is not null) Log.OutputUnwritable(logger, outputError);
            else Log.OutputBack(logger);
            reportedOutputError = outputError;
        }
        if (build.Changed.Length > 0 || build.Removed.Length > 0)
        {
            Log.Published(logger, build.Published.Length, build.Changed.Length, build.Removed.Length, servedAfter.TotalMilliseconds,
                elapsed.TotalMilliseconds, phases);
            // Hubs hear of a feed whose file changed: after a restart with nothing new, none, however much was built anew.
            var served = site.Current.Documents;
            hubs?.Changed(output.Written.Select(d => served[d.Path]));
        }
    }

    private static partial class Log
    {
        [LoggerMessage(LogEvents.FeedRefreshService.Published, LogLevel.Information, "Published {Posts} posts: {Changed} documents changed, {Removed} removed; served after {Served:0.0} ms, done after {Milliseconds:0.0} ms ({Phases})")]
        public static partial void Published(ILogger logger, int posts, int changed, int removed, double served, double milliseconds, string phases);

        [LoggerMessage(LogEvents.FeedRefreshService.PostSkipped, LogLevel.Warning, "Skipped {Problem}")]
        public static partial void PostSkipped(ILogger logger, string problem);

        [LoggerMessage(LogEvents.FeedRefreshService.PostFixed, LogLevel.Information, "{Path} is publishable again")]
        public static partial void PostFixed(ILogger logger, string path);

        [LoggerMessage(LogEvents.FeedRefreshService.StoreUnreadable, LogLevel.Error, "The post folder {Folder} cannot be read ({Reason}); the last good feeds stay served")]
        public static partial void StoreUnreadable(ILogger logger, string folder, string reason);

        [LoggerMessage(LogEvents.FeedRefreshService.StoreBack, LogLevel.Information, "The post folder {Folder} can be read again")]
        public static partial void StoreBack(ILogger logger, string folder);

        [LoggerMessage(LogEvents.FeedRefreshService.UpdateFailed, LogLevel.Error, "Updating the site failed; the last good version stays served")]
        public static partial void UpdateFailed(ILogger logger, Exception exception);

        [LoggerMessage(LogEvents.FeedRefreshService.OutputUnwritable, LogLevel.Error, "The feeds are served but not written to disk: {Reason}")]
        public static partial void OutputUnwritable(ILogger logger, string reason);

        [LoggerMessage(LogEvents.FeedRefreshService.OutputBack, LogLevel.Information, "The output folder is written again")]
        public static partial void OutputBack(ILogger logger);

        [LoggerMessage(LogEvents.FeedRefreshService.WatcherUnavailable, LogLevel.Warning, "Cannot watch {Folder} ({Reason}); changes are picked up by the periodic rescan only")]
        public static partial void WatcherUnavailable(ILogger logger, string folder, string reason);
    }
}

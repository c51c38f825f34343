using Blog.Feeds;
using Blog.Posts;
using Microsoft.Extensions.Hosting;

namespace Blog.Hosting;

/// <summary>
/// Keeps the output tree current while the service runs: rebuilds on a timer, and wakes early when a
/// scheduled post's time comes. Problems are logged when they appear, not again on every rescan.
/// </summary>
internal sealed partial class FeedRefreshService(FeedPublisher publisher, IOptions<PostsOptions> posts, TimeProvider time, ILogger<FeedRefreshService> logger)
    : BackgroundService
{
    private ImmutableHashSet<PostProblem> reported = [];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            DateTimeOffset? next = null;
            try
            {
                var report = await Task.Run(() => publisher.Publish(cancellationToken: stoppingToken), stoppingToken);
                Report(report);
                next = report.NextScheduled;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // The store or the output folder is unreadable for now; the previous output stays as it was.
                Log.BuildFailed(logger, e);
            }
            var wait = posts.Value.RescanInterval;
            if (next is { } due && due - time.GetUtcNow() < wait) wait = due - time.GetUtcNow() + TimeSpan.FromMilliseconds(10);
            await Task.Delay(wait < TimeSpan.Zero ? TimeSpan.Zero : wait, time, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    private void Report(PublishReport report)
    {
        var current = report.Problems.ToImmutableHashSet();
        foreach (var problem in current.Except(reported).OrderBy(p => p.Path, StringComparer.Ordinal)) Log.PostSkipped(logger, problem.ToString());
        foreach (var fixedProblem in reported.Except(current)) Log.PostFixed(logger, fixedProblem.Path);
        reported = current;
        if (report.Written > 0 || report.Removed > 0)
            Log.Published(logger, report.Published, report.Written, report.Removed, publisher.OutputPath, report.Elapsed.TotalMilliseconds);
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "Published {Posts} posts: {Written} files written, {Removed} removed in {Output} ({Milliseconds:0} ms)")]
        public static partial void Published(ILogger logger, int posts, int written, int removed, string output, double milliseconds);

        [LoggerMessage(2, LogLevel.Warning, "Skipped {Problem}")]
        public static partial void PostSkipped(ILogger logger, string problem);

        [LoggerMessage(3, LogLevel.Information, "{Path} is publishable again")]
        public static partial void PostFixed(ILogger logger, string path);

        [LoggerMessage(4, LogLevel.Error, "Building the feeds failed; the previous output stays published")]
        public static partial void BuildFailed(ILogger logger, Exception exception);
    }
}

using Blog.Cli;
using Blog.Hosting;
using Blog.Posts;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Blog.Tests.Hosting;

public sealed class FeedRefreshServiceTests
{
    [Fact]
    public async Task Blog_run_builds_at_start_picks_up_edits_and_stops_when_asked()
    {
        using var folder = new TempFolder();
        folder.Write("posts/first.md", PostText.Of("First", "2026-01-01"));
        using var stop = new CancellationTokenSource();
        var run = BlogCli.RunAsync(
            ["run", "--content", folder.Combine("posts"), "--out", folder.Combine("out"), "--data", folder.Combine("data"), "--urls", "http://127.0.0.1:0", "--Logging:LogLevel:Default=Warning"],
            TextWriter.Null, TextWriter.Null, stop.Token);

        var feed = folder.Combine("out", "feed.json");
        await Eventually.Until(() => File.Exists(feed) && File.ReadAllText(feed).Contains("\"First\"", StringComparison.Ordinal));
        folder.Write("posts/second.md", PostText.Of("Second", "2026-01-02"));
        await Eventually.Until(() => File.ReadAllText(feed).Contains("\"Second\"", StringComparison.Ordinal));

        await stop.CancelAsync();
        Assert.Equal(0, await run.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task A_scheduled_post_goes_live_at_its_time_without_waiting_for_the_rescan()
    {
        using var folder = new TempFolder();
        var now = new DateTimeOffset(2026, 6, 1, 12, 0, 0, TimeSpan.Zero);
        folder.Write("posts/live.md", PostText.Of("Live", "2026-05-01T00:00:00Z"));
        folder.Write("posts/later.md", PostText.Of("Later", "2026-06-01T12:10:00Z"));
        var time = new FakeTimeProvider(now);
        var (publisher, site, posts) = TestSite.Live(folder.Combine("posts"), folder.Combine("out"), time);
        var options = Options.Create(new PostsOptions { ContentPath = folder.Combine("posts"), RescanInterval = TimeSpan.FromHours(1) });
        using var service = new FeedRefreshService(publisher, site, posts, options, time, NullLogger<FeedRefreshService>.Instance);

        await service.StartAsync(CancellationToken.None);
        var feed = folder.Combine("out", "feed.json");
        await Eventually.Until(() => File.Exists(feed));
        Assert.DoesNotContain("\"Later\"", File.ReadAllText(feed), StringComparison.Ordinal);

        // Let the service reach its wait (on the fake clock) before moving the clock.
        await Task.Delay(300);
        // Ten minutes on: the post is due long before the hour-long rescan.
        time.Advance(TimeSpan.FromMinutes(10) + TimeSpan.FromSeconds(1));
        await Eventually.Until(() => File.ReadAllText(feed).Contains("\"Later\"", StringComparison.Ordinal));
        await service.StopAsync(CancellationToken.None);
    }
}

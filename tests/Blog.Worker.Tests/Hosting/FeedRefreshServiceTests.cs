using System.Threading.Channels;
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

    /// <summary>The service on a fake clock, with what it signals (waiting, debouncing) in the order it did.</summary>
    private static (FeedRefreshService Service, ChannelReader<string> Signals) Start(TempFolder folder, FakeTimeProvider time, TimeSpan debounce)
    {
        var (publisher, site, posts) = TestSite.Live(folder.Combine("posts"), folder.Combine("out"), time);
        var options = Options.Create(new PostsOptions { ContentPath = folder.Combine("posts"), RescanInterval = TimeSpan.FromHours(1), Debounce = debounce });
        var service = new FeedRefreshService(publisher, site, posts, options, time, NullLogger<FeedRefreshService>.Instance);
        var signals = Channel.CreateUnbounded<string>();
        service.Waiting += _ => signals.Writer.TryWrite("waiting");
        service.Debouncing += () => signals.Writer.TryWrite("debouncing");
        return (service, signals.Reader);
    }

    private static async Task Next(ChannelReader<string> signals, string expected) =>
        Assert.Equal(expected, await signals.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(30)));

    [Fact]
    public async Task A_scheduled_post_goes_live_at_its_time_without_waiting_for_the_rescan()
    {
        using var folder = new TempFolder();
        var now = new DateTimeOffset(2026, 6, 1, 12, 0, 0, TimeSpan.Zero);
        folder.Write("posts/live.md", PostText.Of("Live", "2026-05-01T00:00:00Z"));
        folder.Write("posts/later.md", PostText.Of("Later", "2026-06-01T12:10:00Z"));
        var time = new FakeTimeProvider(now);
        var (service, signals) = Start(folder, time, TimeSpan.FromMilliseconds(50));
        using var _ = service;

        await service.StartAsync(CancellationToken.None);
        // The first build is done and the service waits, its timer set on the fake clock.
        await Next(signals, "waiting");
        var feed = folder.Combine("out", "feed.json");
        Assert.DoesNotContain("\"Later\"", File.ReadAllText(feed), StringComparison.Ordinal);

        // Ten minutes on: the post is due long before the hour-long rescan.
        time.Advance(TimeSpan.FromMinutes(10) + TimeSpan.FromSeconds(1));
        await Next(signals, "waiting");
        Assert.Contains("\"Later\"", File.ReadAllText(feed), StringComparison.Ordinal);
        await service.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task Several_quick_edits_are_published_in_one_update_once_the_burst_settles()
    {
        using var folder = new TempFolder();
        folder.Write("posts/first.md", PostText.Of("First", "2026-01-01"));
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 6, 1, 12, 0, 0, TimeSpan.Zero));
        var (service, signals) = Start(folder, time, TimeSpan.FromMinutes(1));
        using var _ = service;
        await service.StartAsync(CancellationToken.None);
        await Next(signals, "waiting");

        // Three posts arrive one after another, each by a rename (one event apiece), as a sync tool saves them.
        for (var i = 1; i <= 3; i++)
        {
            var staged = folder.Write($"staging/p{i}.md", PostText.Of($"Quick {i}", $"2026-02-0{i}"));
            File.Move(staged, folder.Combine("posts", $"p{i}.md"));
        }
        await Next(signals, "debouncing");
        await Eventually.Until(() => service.QueuedChanges >= 3, "the three events being queued");
        var feed = folder.Combine("out", "feed.json");
        Assert.DoesNotContain("\"Quick 1\"", File.ReadAllText(feed), StringComparison.Ordinal);

        time.Advance(TimeSpan.FromMinutes(1));
        // One update, then straight back to waiting: no second debounce, no second update.
        await Next(signals, "waiting");
        var json = File.ReadAllText(feed);
        Assert.All(new[] { "\"Quick 1\"", "\"Quick 2\"", "\"Quick 3\"" }, title => Assert.Contains(title, json, StringComparison.Ordinal));
        Assert.Equal(0, service.QueuedChanges);
        Assert.False(signals.TryRead(out var extra), $"unexpected signal: {extra}");
        await service.StopAsync(CancellationToken.None);
    }
}

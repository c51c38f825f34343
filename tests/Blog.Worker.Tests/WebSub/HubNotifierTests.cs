using Microsoft.Extensions.Logging;

namespace Blog.Tests.WebSub;

public sealed class HubNotifierTests
{
    private static readonly string[] MainFeeds = ["atom.xml", "feed.json", "feed.xml"];

    private static IEnumerable<string> Public(IEnumerable<string> paths) => paths.Select(p => "https://blog.example.com/" + p).Order(StringComparer.Ordinal);

    [Fact]
    public async Task Hubs_hear_of_every_changed_feed_once_and_of_nothing_when_the_bytes_did_not_change()
    {
        await using var hub = await TinyHub.StartAsync();
        using var folder = new TempFolder();
        folder.Write("posts/a.md", PostText.Of("A", "2026-01-01", extra: "tags: [alpha]"));
        folder.Write("posts/b.md", PostText.Of("B", "2026-01-02", extra: "tags: [beta]"));
        string[] settings = [$"--Feeds:Hubs:0={hub.Url}", "--data", folder.Combine("data")];
        await using (await RunningBlog.StartAsync(folder.Combine("posts"), folder.Combine("out"), settings))
        {
            // The first build writes every feed: main, alpha and beta, three formats each.
            await Eventually.Until(() => hub.Accepted.Count == 9, "the first pings");
            // Pings name the feeds' public URLs (Site:Url), not the address this node listens on.
            Assert.Contains("https://blog.example.com/tags/alpha/feed.json", hub.Accepted);

            // An edit to b changes the main feed and beta's, not alpha's.
            hub.Accepted.Clear();
            folder.Write("posts/b.md", PostText.Of("B edited", "2026-01-02", extra: "tags: [beta]"));
            await Eventually.Until(() => hub.Accepted.Count == 6, "the pings for the edit");
            Assert.Equal(Public([.. MainFeeds, "tags/beta/atom.xml", "tags/beta/feed.json", "tags/beta/feed.xml"]), hub.Accepted.Order(StringComparer.Ordinal));

            // Saving the same text again changes no bytes: no ping. A new post after it is the signal that both were seen;
            // its pings are the main feed's and its own tag's, none of beta's.
            hub.Accepted.Clear();
            folder.Write("posts/b.md", PostText.Of("B edited", "2026-01-02", extra: "tags: [beta]"));
            File.SetLastWriteTimeUtc(folder.Combine("posts", "b.md"), DateTime.UtcNow.AddMinutes(1));
            folder.Write("posts/c.md", PostText.Of("C", "2026-01-03", extra: "tags: [gamma]"));
            await Eventually.Until(() => hub.Accepted.Count(f => f.Contains("gamma", StringComparison.Ordinal)) == 3, "the pings for the new post");
            await Eventually.Until(() => hub.Accepted.Count >= 6, "the main feed's pings for the new post");
            Assert.Equal(Public([.. MainFeeds, "tags/gamma/atom.xml", "tags/gamma/feed.json", "tags/gamma/feed.xml"]), hub.Accepted.Order(StringComparer.Ordinal));
        }

        // A restart with nothing new writes nothing and pings nothing; again a new post is the signal.
        hub.Accepted.Clear();
        await using (await RunningBlog.StartAsync(folder.Combine("posts"), folder.Combine("out"), settings))
        {
            folder.Write("posts/d.md", PostText.Of("D", "2026-01-04", extra: "tags: [delta]"));
            await Eventually.Until(() => hub.Accepted.Count >= 6, "the pings for the post after the restart");
            Assert.Equal(Public([.. MainFeeds, "tags/delta/atom.xml", "tags/delta/feed.json", "tags/delta/feed.xml"]), hub.Accepted.Order(StringComparer.Ordinal));
        }
    }

    [Fact]
    public async Task A_refused_ping_is_retried_with_backoff_until_the_hub_takes_it()
    {
        await using var hub = await TinyHub.StartAsync();
        hub.RefuseFirstAttempt = true;
        using var folder = new TempFolder();
        folder.Write("posts/a.md", PostText.Of("A", "2026-01-01"));
        await using var blog = await RunningBlog.StartAsync(folder.Combine("posts"), folder.Combine("out"),
            $"--Feeds:Hubs:0={hub.Url}", "--Feeds:HubRetryDelay=00:00:00.1");

        await Eventually.Until(() => hub.Accepted.Count == 3, "the retried pings");
        Assert.Equal(3, hub.Refused);
        Assert.Equal(3, hub.Accepted.Distinct().Count());
    }

    [Fact]
    public async Task A_hub_that_keeps_refusing_gets_exactly_HubAttempts_attempts_per_feed_and_the_give_up_is_logged()
    {
        await using var hub = await TinyHub.StartAsync();
        hub.RefuseAll = true;
        using var folder = new TempFolder();
        folder.Write("posts/a.md", PostText.Of("A", "2026-01-01"));
        await using var blog = await RunningBlog.StartAsync(folder.Combine("posts"), folder.Combine("out"),
            $"--Feeds:Hubs:0={hub.Url}", "--Feeds:HubAttempts=3", "--Feeds:HubRetryDelay=00:00:00.05");

        await Eventually.Until(() => blog.Log.Count("was not told", LogLevel.Error) == 3, "the give-up, once per feed");
        Assert.Equal(9, hub.Refused);
        Assert.All(hub.Refusals.GroupBy(f => f), g => Assert.Equal(3, g.Count()));
        // Each retry is logged once, by the notifier, naming the feed; not again by the HTTP pipeline underneath.
        Assert.Equal(6, blog.Log.Count("retrying in", LogLevel.Warning));
        Assert.DoesNotContain(blog.Log.Entries, e => e.Category.StartsWith("Polly", StringComparison.Ordinal) && e.Level >= LogLevel.Warning);

        // Given up is given up: once the hub takes pings again, the next change is announced and nothing else is.
        hub.RefuseAll = false;
        folder.Write("posts/b.md", PostText.Of("B", "2026-01-02", extra: "tags: [beta]"));
        await Eventually.Until(() => hub.Accepted.Count >= 6, "the pings for the next change");
        Assert.Equal(9, hub.Refused);
        Assert.Equal(Public([.. MainFeeds, "tags/beta/atom.xml", "tags/beta/feed.json", "tags/beta/feed.xml"]), hub.Accepted.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_ping_still_pending_when_the_service_stops_is_sent_after_it_starts_again()
    {
        await using var hub = await TinyHub.StartAsync();
        hub.RefuseAll = true;
        using var folder = new TempFolder();
        folder.Write("posts/a.md", PostText.Of("A", "2026-01-01"));
        string[] settings = [$"--Feeds:Hubs:0={hub.Url}", "--data", folder.Combine("data"), "--Feeds:HubAttempts=100", "--Feeds:HubRetryDelay=00:00:00.05"];
        await using (await RunningBlog.StartAsync(folder.Combine("posts"), folder.Combine("out"), settings))
            await Eventually.Until(() => hub.Refusals.Distinct().Count() == 3, "an attempt at each feed");

        // Nothing changed while it was down, so the restart writes no feed: only what was pending can ping.
        hub.RefuseAll = false;
        await using (await RunningBlog.StartAsync(folder.Combine("posts"), folder.Combine("out"), settings))
            await Eventually.Until(() => hub.Accepted.Count >= 3, "the pending pings after the restart");
        Assert.Equal(Public(MainFeeds), hub.Accepted.Order(StringComparer.Ordinal));
    }
}

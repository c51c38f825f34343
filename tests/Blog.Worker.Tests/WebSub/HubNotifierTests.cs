namespace Blog.Tests.WebSub;

public sealed class HubNotifierTests
{
    [Fact]
    public async Task Hubs_hear_of_every_changed_feed_once_and_of_nothing_when_the_bytes_did_not_change()
    {
        await using var hub = await TinyHub.StartAsync();
        using var folder = new TempFolder();
        folder.Write("posts/a.md", PostText.Of("A", "2026-01-01", extra: "tags: [alpha]"));
        folder.Write("posts/b.md", PostText.Of("B", "2026-01-02", extra: "tags: [beta]"));
        await using (await RunningBlog.StartAsync(folder.Combine("posts"), folder.Combine("out"), $"--Feeds:Hubs:0={hub.Url}"))
        {
            // The first build writes every feed: main, alpha and beta, three formats each.
            await Eventually.Until(() => hub.Accepted.Count == 9, "the first pings");
            // Pings name the feeds' public URLs (Site:Url), not the address this node listens on.
            Assert.Contains("https://blog.example.com/tags/alpha/feed.json", hub.Accepted);

            // An edit to b changes the main feed and beta's, not alpha's.
            hub.Accepted.Clear();
            folder.Write("posts/b.md", PostText.Of("B edited", "2026-01-02", extra: "tags: [beta]"));
            await Eventually.Until(() => hub.Accepted.Count == 6, "the pings for the edit");
            Assert.Equal(
                new[] { "atom.xml", "feed.json", "feed.xml", "tags/beta/atom.xml", "tags/beta/feed.json", "tags/beta/feed.xml" }.Select(p => "https://blog.example.com/" + p),
                hub.Accepted.Order(StringComparer.Ordinal));

            // Saving the same text again changes no bytes: no ping.
            hub.Accepted.Clear();
            folder.Write("posts/b.md", PostText.Of("B edited", "2026-01-02", extra: "tags: [beta]"));
            File.SetLastWriteTimeUtc(folder.Combine("posts", "b.md"), DateTime.UtcNow.AddMinutes(1));
            await Task.Delay(1000);
            Assert.Empty(hub.Accepted);
        }

        // A restart with nothing new writes nothing and pings nothing.
        await using (await RunningBlog.StartAsync(folder.Combine("posts"), folder.Combine("out"), $"--Feeds:Hubs:0={hub.Url}"))
        {
            await Task.Delay(1000);
            Assert.Empty(hub.Accepted);
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
}

using System.Net;

namespace Blog.Tests.Hosting;

/// <summary>The post folder disappearing (an unmount, a move) is an outage: the last good feeds stay served.</summary>
public sealed class StoreOutageTests
{
    [Fact]
    public async Task While_the_folder_cannot_be_read_the_last_feeds_stay_served_and_health_says_503()
    {
        // A folder moved away raises no watcher event; the rescan notices, so it is made frequent here.
        using var folder = new TempFolder();
        folder.Write("posts/keep.md", PostText.Of("Keep", "2026-01-01"));
        var posts = folder.Combine("posts");
        await using var blog = await RunningBlog.StartAsync(posts, folder.Combine("out"), "--Posts:RescanInterval=00:00:01");

        var before = await blog.Client.GetByteArrayAsync("feed.xml");
        Directory.Move(posts, folder.Combine("moved-away"));
        await Eventually.Until(async () =>
        {
            using var health = await blog.Client.GetAsync("readyz");
            return health.StatusCode == HttpStatusCode.ServiceUnavailable;
        }, "readyz turning 503");
        Assert.Equal(before, await blog.Client.GetByteArrayAsync("feed.xml"));

        // Back again: the outage ends within seconds, though the regular rescan is an hour away, and edits are watched again.
        Directory.Move(folder.Combine("moved-away"), posts);
        await Eventually.Until(async () =>
        {
            using var health = await blog.Client.GetAsync("readyz");
            return health.StatusCode == HttpStatusCode.OK;
        }, "readyz turning 200 again");
        folder.Write("posts/after.md", PostText.Of("After the outage", "2026-01-09"));
        await Eventually.Until(async () => (await blog.TitlesAsync()).Contains("After the outage"), "an edit after the outage");
    }
}

using Blog.Serving;
using Microsoft.Data.Sqlite;

namespace Blog.Tests.Serving;

/// <summary>A real feed reader, Debian's newsboat, subscribed to the running service.</summary>
public sealed class NewsboatTests
{
    [Fact]
    public async Task Newsboat_sees_every_post_and_a_second_reload_gets_a_304_and_nothing_new()
    {
        using var home = new TempFolder();
        await using var blog = await RunningBlog.StartAsync(Path.Combine(TestSite.RepositoryRoot(), "content", "posts"), home.Combine("out"));
        home.Write("urls", $"{blog.BaseAddress}feed.xml\n");
        home.Write("config", "");
        var cache = home.Combine("cache.db");
        (int, string) Newsboat(params string[] commands) => ExternalTool.Run("newsboat",
            ["-u", home.Combine("urls"), "-c", cache, "-C", home.Combine("config"), .. commands.SelectMany(c => new[] { "-x", c })],
            environment: new() { ["HOME"] = home.Path });

        var (exit, output) = Newsboat("reload", "print-unread");
        Assert.True(exit == 0, output);
        Assert.Contains("15 unread articles", output, StringComparison.Ordinal);
        var expected = Directory.GetFiles(Path.Combine(TestSite.RepositoryRoot(), "content", "posts"), "*.md")
            .Select(f => File.ReadLines(f).First(l => l.StartsWith("title: ", StringComparison.Ordinal))[8..^1].Replace("\\\"", "\"", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal);
        Assert.Equal(expected, Titles(cache).Order(StringComparer.Ordinal));

        // newsboat 2.21 saves a feed's ETag and Last-Modified with an UPDATE that runs before the feed's row exists on
        // the very first fetch, so a fresh cache holds validators only after the second reload. That one shows nothing
        // new; the next one sends If-None-Match and If-Modified-Since and gets a 304.
        (exit, output) = Newsboat("reload", "print-unread");
        Assert.True(exit == 0, output);
        Assert.Contains("15 unread articles", output, StringComparison.Ordinal);
        Assert.Equal("\"" + blog.Site.Documents["feed.xml"].Hash + "-gzip\"", Validators(cache).ETag);

        var before = blog.Service<SiteEndpoint>().NotModifiedCount;
        (exit, output) = Newsboat("reload", "print-unread");
        Assert.True(exit == 0, output);
        Assert.Contains("15 unread articles", output, StringComparison.Ordinal);
        Assert.Equal(15, Titles(cache).Count);
        Assert.Equal(before + 1, blog.Service<SiteEndpoint>().NotModifiedCount);
    }

    private static (long LastModified, string ETag) Validators(string cache)
    {
        using var connection = new SqliteConnection($"Data Source={cache};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT lastmodified, etag FROM rss_feed";
        using var reader = command.ExecuteReader();
        Assert.True(reader.Read());
        return (reader.GetInt64(0), reader.GetString(1));
    }

    private static List<string> Titles(string cache)
    {
        using var connection = new SqliteConnection($"Data Source={cache};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT title FROM rss_item";
        using var reader = command.ExecuteReader();
        var titles = new List<string>();
        while (reader.Read()) titles.Add(reader.GetString(0));
        return titles;
    }
}

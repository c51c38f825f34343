using System.Net;
using Blog.Readership;

namespace Blog.Tests.Admin.Readership;

/// <summary>The console's readership page over real HTTP, signed in, on a real SQLite file.</summary>
public sealed class ReadershipPagesTests
{
    [Fact]
    public async Task The_page_shows_each_feeds_aggregators_and_direct_readers_today_and_the_totals_per_day_all_encoded()
    {
        using var output = new TempFolder();
        await using var blog = await RunningBlog.StartAsync(Path.Combine(TestSite.RepositoryRoot(), "content", "posts"), output.Path);
        var store = blog.Service<IReadershipStore>();
        var now = DateTimeOffset.UtcNow;
        var today = ReadershipRecorder.DayOf(now);
        var limits = new ReadershipOptions().Limits();
        await store.RecordAsync(new ReadershipBatch(
            [
                new AggregatorSighting(today, "feed.xml", "Feedly", 1234, now),
                new AggregatorSighting(today, "feed.xml", "<b>Evil</b>", 7, now),
                new AggregatorSighting(today.AddDays(-3), "tags/rust/atom.xml", "Inoreader", 55, now.AddDays(-3)),
            ],
            [new ReaderMark(today, "feed.xml", "a"), new ReaderMark(today, "feed.xml", "b"), new ReaderMark(today.AddDays(-3), "tags/rust/atom.xml", "c")]),
            limits, CancellationToken.None);
        using var owner = await ConsoleSession.SignInAsync(blog);

        using var response = await owner.GetAsync("/readership");
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("<tr><td>feed.xml</td><td class=\"number\">1,241</td><td class=\"number\">2</td>", html, StringComparison.Ordinal);
        Assert.Contains("<td>Feedly</td><td class=\"number\">1,234</td>", html, StringComparison.Ordinal);
        Assert.Contains("<td>tags/rust/atom.xml</td><td>Inoreader</td><td class=\"number\">55</td><td>" + today.AddDays(-3).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
            html, StringComparison.Ordinal);
        Assert.Contains("&lt;b&gt;Evil&lt;/b&gt;", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<b>Evil", html, StringComparison.Ordinal);
        // Every feed together, today: 1,234 + 7 via aggregators and 2 direct readers.
        Assert.Contains(today.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) + " (today, so far)</td><td class=\"number\">1,241</td><td class=\"number\">2</td>",
            html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_a_session_the_page_is_refused()
    {
        using var output = new TempFolder();
        await using var blog = await RunningBlog.StartAsync(Path.Combine(TestSite.RepositoryRoot(), "content", "posts"), output.Path);
        using var stranger = ConsoleSession.Anonymous(blog);

        using var response = await stranger.GetAsync("/readership");

        Assert.True(response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Redirect, response.StatusCode.ToString());
        Assert.DoesNotContain("Feed readership", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}

using System.Net;
using Blog.Readership;

namespace Blog.Tests.Readership;

/// <summary>The running service counts its feeds' readers: real Kestrel on loopback, real SQLite.</summary>
public sealed class FeedRequestCountingTests
{
    [Fact]
    public async Task Feed_polls_answered_200_or_304_are_counted_per_feed_and_other_documents_are_not()
    {
        using var output = new TempFolder();
        await using var blog = await RunningBlog.StartAsync(Path.Combine(TestSite.RepositoryRoot(), "content", "posts"), output.Path,
            "--Readership:FlushInterval=00:05:00");
        var tag = blog.Site.Documents.Keys.First(k => k.StartsWith("tags/", StringComparison.Ordinal) && k.EndsWith("/feed.json", StringComparison.Ordinal));

        async Task<HttpStatusCode> Get(string path, string userAgent, string? etag = null)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, path);
            request.Headers.TryAddWithoutValidation("User-Agent", userAgent);
            if (etag is not null) request.Headers.TryAddWithoutValidation("If-None-Match", etag);
            using var response = await blog.Client.SendAsync(request);
            return response.StatusCode;
        }
        Assert.Equal(HttpStatusCode.OK, await Get("feed.xml", "newsboat/2.21.0"));
        Assert.Equal(HttpStatusCode.NotModified, await Get("feed.xml", "Thunderbird/128", "\"" + blog.Site.Documents["feed.xml"].Hash + "\""));
        Assert.Equal(HttpStatusCode.OK, await Get("feed.xml", "Feedly/1.0 (+http://www.feedly.com/fetcher.html; 42 subscribers; )"));
        Assert.Equal(HttpStatusCode.OK, await Get(tag, "newsboat/2.21.0"));
        Assert.Equal(HttpStatusCode.OK, await Get("", "newsboat/2.21.0"));
        Assert.Equal(HttpStatusCode.OK, await Get("feed.xsl", "newsboat/2.21.0"));
        Assert.Equal(HttpStatusCode.NotFound, await Get("tags/nope/feed.xml", "newsboat/2.21.0"));

        await blog.Service<ReadershipRecorder>().FlushAsync(CancellationToken.None);

        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var report = await blog.Service<IReadershipStore>().ReportAsync(today.AddDays(-1), today.AddDays(1), new ReadershipOptions().Limits(), CancellationToken.None);
        Assert.Equal([new FeedDay(today, "feed.xml", 42, 2, false), new FeedDay(today, tag, 0, 1, false)],
            report.Days.OrderBy(d => d.Feed == "feed.xml" ? 0 : 1));
    }
}

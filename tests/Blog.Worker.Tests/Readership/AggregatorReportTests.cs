using Blog.Readership;

namespace Blog.Tests.Readership;

public sealed class AggregatorReportTests
{
    [Theory]
    [InlineData("Feedly/1.0 (+http://www.feedly.com/fetcher.html; 123 subscribers; )", "Feedly", 123)]
    [InlineData("Feedly/1.0 (poller; 131 subscribers;)", "Feedly", 131)]
    [InlineData("Mozilla/5.0 (compatible; Inoreader/1.0; https://www.inoreader.com; 42 subscribers)", "Inoreader", 42)]
    [InlineData("NewsBlur Feed Fetcher - 17 subscribers - https://www.newsblur.com/site/6543/blog (Mozilla/5.0)", "NewsBlur #6543", 17)]
    [InlineData("Feedbin feed-id:1234 - 9 subscribers", "Feedbin #1234", 9)]
    [InlineData("Mozilla/5.0 (compatible; theoldreader.com; 3 subscribers; feed-id=55)", "The Old Reader #55", 3)]
    [InlineData("BazQux/2.4 (+https://bazqux.com/fetcher; 1 subscriber)", "BazQux", 1)]
    [InlineData("Mozilla/5.0 (compatible; Shinyreader/2.0; 8 readers)", "Shinyreader", 8)]
    public void An_aggregators_reported_count_is_read_with_its_name(string userAgent, string name, long subscribers)
    {
        Assert.True(AggregatorReport.TryParse(userAgent, out var report));
        Assert.Equal(new AggregatorReport(name, subscribers), report);
    }

    [Theory]
    [InlineData("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/120.0 Safari/537.36")]
    [InlineData("newsboat/2.21.0 (Linux x86_64)")]
    [InlineData("NetNewsWire (RSS Reader; https://netnewswire.com/)")]
    [InlineData("")]
    [InlineData(null)]
    public void A_reader_that_reports_no_count_is_a_direct_reader(string? userAgent) =>
        Assert.False(AggregatorReport.TryParse(userAgent, out _));

    [Fact]
    public void A_hostile_user_agent_is_not_read_past_its_bound_and_cannot_name_an_aggregator_at_length()
    {
        Assert.False(AggregatorReport.TryParse(new string('a', 600) + " 5 subscribers", out _));
        Assert.True(AggregatorReport.TryParse(new string('B', 300) + "/1.0 <script> 5 subscribers", out var report));
        Assert.Equal(40, report.Aggregator.Length);
        Assert.DoesNotContain('<', report.Aggregator);
    }
}

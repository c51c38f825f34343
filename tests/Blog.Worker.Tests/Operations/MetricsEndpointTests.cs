using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using Blog.Digests;
using Blog.MailingList;
using Blog.Posts;
using Blog.Subscriptions;
using Blog.Tests.Digests;

namespace Blog.Tests.Operations;

/// <summary>
/// <c>/metrics</c>: Prometheus text on the console's listener, each instrument moving with the action it counts, and
/// nothing on the public listener; under <c>Admin:PublicPath</c> only for the owner or the bearer of the token.
/// </summary>
public sealed class MetricsEndpointTests
{
    private const string Token = "a-metrics-token-that-is-long-enough-0123456789";

    [Fact]
    public async Task Feed_requests_are_counted_by_format_and_status_and_the_build_and_its_problems_are_measured()
    {
        using var folder = new TempFolder();
        folder.Write("posts/good.md", PostText.Of("Good", "2026-01-01"));
        folder.Write("posts/bad.md", PostText.Of("Bad", "not-a-date"));
        await using var blog = await RunningBlog.StartAsync(folder.Combine("posts"), folder.Combine("out"));
        using var console = new HttpClient { BaseAddress = blog.ConsoleAddress };

        string etag;
        using (var first = await blog.Client.GetAsync("feed.xml"))
        {
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
            etag = first.Headers.ETag!.ToString();
        }
        using (var request = new HttpRequestMessage(HttpMethod.Get, "feed.xml"))
        {
            request.Headers.TryAddWithoutValidation("If-None-Match", etag);
            using var second = await blog.Client.SendAsync(request);
            Assert.Equal(HttpStatusCode.NotModified, second.StatusCode);
        }
        (await blog.Client.GetAsync("feed.json")).EnsureSuccessStatusCode();
        (await blog.Client.GetAsync("")).EnsureSuccessStatusCode();

        var text = "";
        await Eventually.Until(async () => PrometheusText.Value(text = await ScrapeAsync(console), "blog_feed_requests_total", ("feed_format", "json")) is not null, "the requests in the metrics");
        Assert.Equal(1, PrometheusText.Value(text, "blog_feed_requests_total", ("feed_format", "rss"), ("http_response_status_code", "200")));
        Assert.Equal(1, PrometheusText.Value(text, "blog_feed_requests_total", ("feed_format", "rss"), ("http_response_status_code", "304")));
        Assert.Equal(1, PrometheusText.Value(text, "blog_feed_requests_total", ("feed_format", "json"), ("http_response_status_code", "200")));
        // The index page is not a feed.
        Assert.Null(PrometheusText.Value(text, "blog_feed_requests_total", ("feed_format", "html")));
        Assert.True(PrometheusText.Value(text, "blog_feed_build_duration_seconds_count", ("blog_build_kind", "full")) >= 1, text);
        // This service's own numbers, though other tests' services record into meters of the same names meanwhile.
        Assert.Equal(1, PrometheusText.Value(text, "blog_posts_problems"));
        Assert.Equal(1, PrometheusText.Value(text, "blog_posts_published"));

        // Not on the public listener: there it is the site's path, and the site has no such document.
        using var outside = await blog.Client.GetAsync("metrics");
        Assert.Equal(HttpStatusCode.NotFound, outside.StatusCode);
        Assert.DoesNotContain("blog_feed", await outside.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sign_ups_confirmations_and_the_outbox_depth_are_measured()
    {
        using var folder = new TempFolder();
        folder.Write("posts/a.md", PostText.Of("A", "2026-01-01"));
        await using var blog = await RunningBlog.StartAsync(folder.Combine("posts"), folder.Combine("out"), selfLinked: true, "--Operations:OutboxDepthCacheTime=00:00:00");
        using var console = new HttpClient { BaseAddress = blog.ConsoleAddress };

        using (var form = new FormUrlEncodedContent([KeyValuePair.Create("email", "reader@example.com")]))
            (await blog.Client.PostAsync("subscribe", form)).EnsureSuccessStatusCode();
        await blog.Service<SignUpBacklog>().WhenIdleAsync(CancellationToken.None);
        var subscriber = (await blog.Service<ISubscriberStore>().FindAsync(EmailAddress.Parse("reader@example.com"), CancellationToken.None))!;
        var token = blog.Service<SubscriberTokens>().Confirm(subscriber, DateTimeOffset.UtcNow.AddHours(1));
        using (var empty = new FormUrlEncodedContent([]))
            (await blog.Client.PostAsync($"confirm?token={Uri.EscapeDataString(token)}", empty)).EnsureSuccessStatusCode();

        var text = "";
        await Eventually.Until(async () => PrometheusText.Value(text = await ScrapeAsync(console), "blog_outbox_depth", ("blog_outbox_state", "pending")) is not null,
            "the outbox counted (the first scrape starts the count)");
        Assert.Equal(1, PrometheusText.Value(text, "blog_subscriptions_signups_total"));
        Assert.Equal(1, PrometheusText.Value(text, "blog_subscriptions_confirmations_total"));
        Assert.Equal(0, PrometheusText.Value(text, "blog_outbox_depth", ("blog_outbox_state", "failed")));
    }

    [Fact]
    public async Task Digests_sent_to_the_smtp_server_and_bounces_and_complaints_reported_are_counted()
    {
        await using var digests = await DigestBlog.CreateAsync(3);
        using var output = new TempFolder();
        await using var blog = await RunningBlog.StartAsync(digests.Posts, output.Combine("out"),
            [.. digests.ServiceSettings, "--Webhooks:Events:Secret=an-events-secret-that-is-long-enough-0123456789"]);
        using var console = new HttpClient { BaseAddress = blog.ConsoleAddress };

        var now = DateTimeOffset.UtcNow;
        var published = (await blog.Service<PublishedPosts>().SnapshotAsync(CancellationToken.None)).Published(now);
        await blog.Service<DigestRuns>().PlanManualAsync("weekly", now, published, null, CancellationToken.None);
        blog.Service<DigestSender>().Wake();
        await Eventually.Until(() => digests.Smtp.Received.Count == 3, "the digests mailed");
        foreach (var (address, type) in new[] { ("reader0000@example.com", "hard_bounce"), ("reader0001@example.com", "complaint") })
        {
            using var report = new HttpRequestMessage(HttpMethod.Post, "webhooks/events")
            {
                Content = new StringContent($$"""{"email":"{{address}}","type":"{{type}}","id":"{{type}}-1"}""", System.Text.Encoding.UTF8, "application/json"),
            };
            report.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "an-events-secret-that-is-long-enough-0123456789");
            (await blog.Client.SendAsync(report)).EnsureSuccessStatusCode();
        }

        var text = "";
        await Eventually.Until(async () => PrometheusText.Value(text = await ScrapeAsync(console), "blog_digests_sent_total") == 3, "the sent digests counted");
        Assert.Null(PrometheusText.Value(text, "blog_digests_failed_total"));
        Assert.Equal(1, PrometheusText.Value(text, "blog_digests_bounced_total", ("blog_bounce_type", "hard")));
        Assert.Equal(1, PrometheusText.Value(text, "blog_digests_complained_total"));
    }

    [Fact]
    public async Task Under_a_public_path_the_metrics_need_the_owner_or_the_token()
    {
        using var folder = new TempFolder();
        folder.Write("posts/a.md", PostText.Of("A", "2026-01-01"));
        await using var blog = await RunningBlog.StartAsync(folder.Combine("posts"), folder.Combine("out"),
            "--Admin:PublicPath=/admin", $"--Operations:MetricsToken={Token}");

        using (var anonymous = await blog.Client.GetAsync("admin/metrics"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
            Assert.DoesNotContain("blog_", await anonymous.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
        foreach (var wrong in new[] { "Bearer " + Token[..^1], "Bearer " + Token + "x", "Basic " + Token, Token })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "admin/metrics");
            request.Headers.TryAddWithoutValidation("Authorization", wrong);
            using var refused = await blog.Client.SendAsync(request);
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        }
        using (var request = new HttpRequestMessage(HttpMethod.Get, "admin/metrics"))
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Token);
            using var scraped = await blog.Client.SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, scraped.StatusCode);
            Assert.Contains("blog_posts_published", await scraped.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
        // The signed-in owner reads them too, with no token.
        using (var owner = await ConsoleSession.SignInAsync(blog, consoleAddress: new Uri(blog.BaseAddress, "admin/")))
        using (var mine = await owner.GetAsync("/metrics"))
        {
            Assert.Equal(HttpStatusCode.OK, mine.StatusCode);
            Assert.Contains("blog_posts_published", await mine.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
        // Health stays where probes look for it.
        Assert.Equal(HttpStatusCode.OK, (await blog.Client.GetAsync("healthz")).StatusCode);
    }

    [Fact]
    public async Task A_token_too_short_to_be_secret_stops_the_start_with_its_setting()
    {
        using var folder = new TempFolder();
        folder.Write("posts/a.md", PostText.Of("A", "2026-01-01"));
        var stderr = new StringWriter();
        var exit = await Blog.Cli.BlogCli.RunAsync(["check", "--content", folder.Combine("posts"), "--Operations:MetricsToken=short"],
            new StringWriter(), stderr);
        Assert.Equal(Blog.Cli.BlogCli.Usage, exit);
        Assert.Contains("Operations:MetricsToken must be empty or at least 32 characters", stderr.ToString(), StringComparison.Ordinal);
        Assert.Contains("is 5 characters long", stderr.ToString(), StringComparison.Ordinal);
    }

    private static async Task<string> ScrapeAsync(HttpClient console)
    {
        using var response = await console.GetAsync("metrics");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("text/plain", response.Content.Headers.ContentType!.MediaType, StringComparison.Ordinal);
        return await response.Content.ReadAsStringAsync();
    }
}

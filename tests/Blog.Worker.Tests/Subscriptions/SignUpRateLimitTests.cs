using System.Net;

namespace Blog.Tests.Subscriptions;

public sealed class SignUpRateLimitTests
{
    [Fact]
    public async Task Sign_ups_past_the_limit_from_one_address_get_429_and_are_not_stored()
    {
        using var folder = new TempFolder();
        await using var blog = await StartAsync(folder,
            "--Subscriptions:SignUpLimit=2", "--Subscriptions:SignUpWindow=00:10:00");
        var codes = new List<HttpStatusCode>();
        for (var i = 0; i < 4; i++)
        {
            using var form = new FormUrlEncodedContent([KeyValuePair.Create("email", $"flood{i}@example.com")]);
            using var response = await blog.Client.PostAsync("subscribe", form);
            codes.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                Assert.Contains("Too many sign-ups", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
                Assert.InRange(response.Headers.RetryAfter!.Delta!.Value, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(10));
            }
        }
        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests], codes);
        await blog.Service<Blog.Subscriptions.SignUpBacklog>().WhenIdleAsync(CancellationToken.None);
        Assert.Equal(2, (await blog.Service<Blog.MailingList.ISubscriberStore>().CountAsync(CancellationToken.None)).Total);

        // Pages other than the sign-up itself are not limited.
        using var form2 = await blog.Client.GetAsync("subscribe");
        Assert.Equal(HttpStatusCode.OK, form2.StatusCode);
    }

    [Fact]
    public async Task Behind_trusted_proxies_each_client_named_in_X_Forwarded_For_has_its_own_bucket()
    {
        using var folder = new TempFolder();
        // The test connects from loopback (a proxy on this host) through a trusted load balancer at 10.0.0.5.
        await using var blog = await StartAsync(folder,
            "--Subscriptions:SignUpLimit=1", "--Subscriptions:SignUpWindow=00:10:00", "--Http:KnownNetworks:0=127.0.0.0/8", "--Http:KnownNetworks:1=10.0.0.0/8");
        Assert.Equal(HttpStatusCode.OK, await SignUpAsync(blog, "one@example.com", "203.0.113.1, 10.0.0.5"));
        Assert.Equal(HttpStatusCode.OK, await SignUpAsync(blog, "two@example.com", "203.0.113.2, 10.0.0.5"));
        Assert.Equal(HttpStatusCode.TooManyRequests, await SignUpAsync(blog, "three@example.com", "203.0.113.1, 10.0.0.5"));
        // A client cannot pick its own bucket: what it wrote before the trusted hops is not believed.
        Assert.Equal(HttpStatusCode.TooManyRequests, await SignUpAsync(blog, "four@example.com", "198.51.100.7, 203.0.113.2, 10.0.0.5"));
    }

    [Fact]
    public async Task X_Forwarded_For_from_a_peer_that_is_not_a_trusted_proxy_is_ignored()
    {
        using var folder = new TempFolder();
        // Naming the proxies replaces the default (loopback), so the test's own connection is now an untrusted peer.
        await using var blog = await StartAsync(folder,
            "--Subscriptions:SignUpLimit=1", "--Subscriptions:SignUpWindow=00:10:00", "--Http:KnownProxies:0=192.0.2.10");
        Assert.Equal(HttpStatusCode.OK, await SignUpAsync(blog, "one@example.com", "203.0.113.1"));
        Assert.Equal(HttpStatusCode.TooManyRequests, await SignUpAsync(blog, "two@example.com", "203.0.113.2"));
    }

    [Fact]
    public async Task IPv6_clients_in_one_64_share_a_bucket()
    {
        using var folder = new TempFolder();
        await using var blog = await StartAsync(folder,
            "--Subscriptions:SignUpLimit=1", "--Subscriptions:SignUpWindow=00:10:00");
        Assert.Equal(HttpStatusCode.OK, await SignUpAsync(blog, "one@example.com", "2001:db8:1:2::1"));
        Assert.Equal(HttpStatusCode.TooManyRequests, await SignUpAsync(blog, "two@example.com", "2001:db8:1:2:ffff:ffff:ffff:9"));
        Assert.Equal(HttpStatusCode.OK, await SignUpAsync(blog, "three@example.com", "2001:db8:1:3::1"));
        // An IPv4 client seen through IPv6 is still an IPv4 client.
        Assert.Equal(HttpStatusCode.OK, await SignUpAsync(blog, "four@example.com", "203.0.113.1"));
        Assert.Equal(HttpStatusCode.TooManyRequests, await SignUpAsync(blog, "five@example.com", "::ffff:203.0.113.1"));
    }

    [Fact]
    public async Task Past_the_cap_on_sign_ups_per_minute_everyone_gets_429_with_Retry_After()
    {
        using var folder = new TempFolder();
        await using var blog = await StartAsync(folder,
            "--Subscriptions:SignUpsPerMinute=3");
        var codes = new List<HttpStatusCode>();
        for (var i = 0; i < 4; i++) codes.Add(await SignUpAsync(blog, $"many{i}@example.com", $"203.0.113.{i + 1}"));
        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], codes);

        using var response = await PostSignUpAsync(blog, "late@example.com", "198.51.100.1");
        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.InRange(response.Headers.RetryAfter!.Delta!.Value, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(60));
        await blog.Service<Blog.Subscriptions.SignUpBacklog>().WhenIdleAsync(CancellationToken.None);
        Assert.Equal(3, (await blog.Service<Blog.MailingList.ISubscriberStore>().CountAsync(CancellationToken.None)).Total);
    }

    /// <summary>The service on the sample blog.</summary>
    private static Task<RunningBlog> StartAsync(TempFolder folder, params string[] settings) =>
        RunningBlog.StartAsync(Path.Combine(TestSite.RepositoryRoot(), "content", "posts"), folder.Combine("out"), settings);

    private static async Task<HttpStatusCode> SignUpAsync(RunningBlog blog, string address, string forwardedFor)
    {
        using var response = await PostSignUpAsync(blog, address, forwardedFor);
        return response.StatusCode;
    }

    private static async Task<HttpResponseMessage> PostSignUpAsync(RunningBlog blog, string address, string forwardedFor)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "subscribe") { Content = new FormUrlEncodedContent([KeyValuePair.Create("email", address)]) };
        request.Headers.Add("X-Forwarded-For", forwardedFor);
        return await blog.Client.SendAsync(request);
    }
}

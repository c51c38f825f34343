using System.Net;

namespace Blog.Tests.Serving;

/// <summary>
/// README's <c>Http:KnownProxies</c>: a proxy named by its address is believed about the client it forwards, and the
/// client is the first address from the right that is not a trusted proxy.
/// </summary>
public sealed class ForwardedForTests
{
    [Fact]
    public async Task A_proxy_named_by_address_is_believed_and_only_the_hops_it_appended_count()
    {
        using var folder = new TempFolder();
        // The test connects from 127.0.0.1: that is the proxy named here.
        await using var blog = await RunningBlog.StartAsync(Path.Combine(TestSite.RepositoryRoot(), "content", "posts"), folder.Combine("out"),
            "--Subscriptions:SignUpLimit=1", "--Subscriptions:SignUpWindow=00:10:00", "--Http:KnownProxies:0=127.0.0.1");

        Assert.Equal(HttpStatusCode.OK, await SignUpAsync(blog, "one@example.com", "203.0.113.1"));
        // Another client behind the same proxy has its own bucket.
        Assert.Equal(HttpStatusCode.OK, await SignUpAsync(blog, "two@example.com", "203.0.113.2"));
        // The first client again, whatever it wrote to the left of what the proxy appended.
        Assert.Equal(HttpStatusCode.TooManyRequests, await SignUpAsync(blog, "three@example.com", "198.51.100.9, 203.0.113.1"));
        // Naming a proxy replaces the loopback default: 127.0.0.2 is not trusted, so it is the client, whoever it says it forwards.
        Assert.Equal(HttpStatusCode.OK, await SignUpAsync(blog, "four@example.com", "203.0.113.3, 127.0.0.2"));
        Assert.Equal(HttpStatusCode.TooManyRequests, await SignUpAsync(blog, "five@example.com", "203.0.113.4, 127.0.0.2"));
    }

    private static async Task<HttpStatusCode> SignUpAsync(RunningBlog blog, string address, string? forwardedFor)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "subscribe") { Content = new FormUrlEncodedContent([KeyValuePair.Create("email", address)]) };
        if (forwardedFor is not null) request.Headers.Add("X-Forwarded-For", forwardedFor);
        using var response = await blog.Client.SendAsync(request);
        return response.StatusCode;
    }
}

using System.Net;
using Blog.Tests.Support;

namespace Blog.Tests.Admin;

public sealed class ConsoleListenerTests
{
    [Fact]
    public async Task The_console_answers_on_its_own_listener_and_the_public_listener_knows_nothing_of_it()
    {
        using var folder = new TempFolder();
        folder.Write("posts/a.md", PostText.Of("A", "2026-01-01"));
        await using var blog = await RunningBlog.StartAsync(folder.Combine("posts"), folder.Combine("out"));
        using var console = new HttpClient { BaseAddress = blog.ConsoleAddress };

        Assert.NotEqual(blog.BaseAddress.Port, blog.ConsoleAddress.Port);
        var css = await console.GetAsync("assets/console.css");
        Assert.Equal(HttpStatusCode.OK, css.StatusCode);
        Assert.Contains("default-src 'none'", css.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);

        // The same paths on the public listener are the site's: it has no such documents.
        Assert.Equal(HttpStatusCode.NotFound, (await blog.Client.GetAsync("assets/console.css")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await blog.Client.GetAsync("signin")).StatusCode);
        // And the console's listener serves none of the site.
        Assert.Equal(HttpStatusCode.OK, (await blog.Client.GetAsync("feed.xml")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await console.GetAsync("feed.xml")).StatusCode);
    }

    [Fact]
    public async Task A_method_only_the_console_routes_refuse_is_the_sites_to_answer_on_the_public_listener()
    {
        using var folder = new TempFolder();
        folder.Write("posts/a.md", PostText.Of("A", "2026-01-01"));
        await using var blog = await RunningBlog.StartAsync(folder.Combine("posts"), folder.Combine("out"));

        // HEAD / is the site's index (uptime probes use it); the console's GET / must not turn it into a 405 naming its methods.
        using var head = await blog.Client.SendAsync(new HttpRequestMessage(HttpMethod.Head, ""));
        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        using var post = await blog.Client.PostAsync("signin", new StringContent(""));
        Assert.Equal(HttpStatusCode.NotFound, post.StatusCode);
        Assert.False(post.Content.Headers.Contains("Allow"));
    }

    [Fact]
    public async Task The_console_answers_only_to_its_own_names_so_a_rebound_name_reaches_nothing()
    {
        using var folder = new TempFolder();
        folder.Write("posts/a.md", PostText.Of("A", "2026-01-01"));
        await using var blog = await RunningBlog.StartAsync(folder.Combine("posts"), folder.Combine("out"));
        using var console = new HttpClient { BaseAddress = blog.ConsoleAddress };

        // A page at evil.example whose name was rebound to 127.0.0.1 sends its own name as Host: nothing may answer it.
        foreach (var host in new[] { "evil.example", $"evil.example:{blog.ConsoleAddress.Port}", "localhost.evil.example" })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "signin");
            request.Headers.Host = host;
            using var response = await console.SendAsync(request);
            Assert.Equal(HttpStatusCode.MisdirectedRequest, response.StatusCode);
        }
        // The names a browser on the machine or through a tunnel uses: the address, localhost, and any port (a tunnel's own).
        foreach (var host in new[] { $"127.0.0.1:{blog.ConsoleAddress.Port}", $"localhost:{blog.ConsoleAddress.Port}", "localhost:8081", "[::1]:5081" })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "assets/console.css");
            request.Headers.Host = host;
            using var response = await console.SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
    }
}

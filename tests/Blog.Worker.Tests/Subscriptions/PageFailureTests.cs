using System.Net;

namespace Blog.Tests.Subscriptions;

public sealed class PageFailureTests
{
    [Fact]
    public async Task An_owner_template_that_fails_at_run_time_gets_a_plain_500_page_and_the_feeds_keep_serving()
    {
        using var folder = new TempFolder();
        // Parses (so start-up accepts it) but fails when rendered: the function does not exist.
        folder.Write("templates/web/subscribe.html.sbn", "<h1>{{ no_such_function 42 }}</h1>");
        await using var blog = await RunningBlog.StartAsync(Path.Combine(TestSite.RepositoryRoot(), "content", "posts"), folder.Combine("out"),
            $"--Templates:Path={folder.Combine("templates")}");
        using var page = await blog.Client.GetAsync("subscribe");
        Assert.Equal(HttpStatusCode.InternalServerError, page.StatusCode);
        Assert.Equal("Something went wrong on our side. Please try again later.\n", await page.Content.ReadAsStringAsync());
        using var feed = await blog.Client.GetAsync("feed.xml");
        Assert.Equal(HttpStatusCode.OK, feed.StatusCode);
    }

    [Fact]
    public async Task Pages_answer_HEAD_like_GET_without_a_body()
    {
        using var folder = new TempFolder();
        await using var blog = await RunningBlog.StartAsync(Path.Combine(TestSite.RepositoryRoot(), "content", "posts"), folder.Combine("out"));
        using var get = await blog.Client.GetAsync("subscribe");
        using var head = await blog.Client.SendAsync(new HttpRequestMessage(HttpMethod.Head, "subscribe"));
        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        Assert.Equal(get.Content.Headers.ContentLength, head.Content.Headers.ContentLength);
        Assert.Empty(await head.Content.ReadAsByteArrayAsync());
    }
}

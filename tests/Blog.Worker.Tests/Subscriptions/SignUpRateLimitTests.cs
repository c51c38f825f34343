using System.Net;

namespace Blog.Tests.Subscriptions;

public sealed class SignUpRateLimitTests
{
    [Fact]
    public async Task Sign_ups_past_the_limit_from_one_address_get_429_and_are_not_stored()
    {
        using var folder = new TempFolder();
        await using var blog = await RunningBlog.StartAsync(Path.Combine(TestSite.RepositoryRoot(), "content", "posts"), folder.Combine("out"),
            "--Subscriptions:SignUpLimit=2", "--Subscriptions:SignUpWindow=00:10:00");
        var codes = new List<HttpStatusCode>();
        for (var i = 0; i < 4; i++)
        {
            using var form = new FormUrlEncodedContent([KeyValuePair.Create("email", $"flood{i}@example.com")]);
            using var response = await blog.Client.PostAsync("subscribe", form);
            codes.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
                Assert.Contains("Too many sign-ups", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests], codes);
        await blog.Service<Blog.Subscriptions.SignUpBacklog>().WhenIdleAsync(CancellationToken.None);
        Assert.Equal(2, (await blog.Service<Blog.Subscribers.ISubscriberStore>().CountAsync(CancellationToken.None)).Total);

        // Pages other than the sign-up itself are not limited.
        using var form2 = await blog.Client.GetAsync("subscribe");
        Assert.Equal(HttpStatusCode.OK, form2.StatusCode);
    }
}

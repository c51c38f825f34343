using System.Net;
using Blog.MailingList;
using Blog.Subscriptions;
using Npgsql;

namespace Blog.Tests.Subscriptions;

/// <summary>
/// The README's promise for a database that cannot be reached: the pages answer 503 with <c>Retry-After</c>, a sign-up
/// already answered is stored once it is back, and new ones are refused meanwhile. The database is real PostgreSQL
/// behind a loopback link the test cuts, as a network or a server going away would.
/// </summary>
[Collection(SharedPostgres.Name)]
public sealed class StoreOutageTests(PostgresServer server)
{
    [Fact]
    public async Task While_the_database_cannot_be_reached_the_pages_answer_503_with_Retry_After_and_an_answered_sign_up_is_stored_after()
    {
        await using var link = TcpLink.To(server.Port);
        var connection = new NpgsqlConnectionStringBuilder(await server.CreateDatabaseAsync()) { Port = link.Port, Timeout = 5 }.ToString();
        using var folder = new TempFolder();
        await using var blog = await RunningBlog.StartAsync(Path.Combine(TestSite.RepositoryRoot(), "content", "posts"), folder.Combine("out"), selfLinked: true,
            "--Storage:Provider=Postgres", $"--Storage:ConnectionString={connection}", "--Logging:LogLevel:Default=None");
        var backlog = blog.Service<SignUpBacklog>();
        var store = blog.Service<ISubscriberStore>();
        using (var form = new FormUrlEncodedContent([KeyValuePair.Create("email", "before@example.com")]))
            (await blog.Client.PostAsync("subscribe", form)).EnsureSuccessStatusCode();
        await backlog.WhenIdleAsync(CancellationToken.None);
        var before = (await store.FindAsync(EmailAddress.Parse("before@example.com"), CancellationToken.None))!;
        var tokens = blog.Service<SubscriberTokens>();

        link.Cut();
        foreach (var (method, path) in new[]
        {
            (HttpMethod.Get, $"unsubscribe?token={tokens.Unsubscribe(before)}"),
            (HttpMethod.Post, $"unsubscribe?token={tokens.Unsubscribe(before)}"),
            (HttpMethod.Get, $"preferences?token={tokens.Preferences(before)}"),
            (HttpMethod.Get, $"confirm?token={tokens.Confirm(before, DateTimeOffset.UtcNow.AddHours(1))}"),
        })
        {
            using var response = await blog.Client.SendAsync(new HttpRequestMessage(method, path));
            Assert.True(response.StatusCode == HttpStatusCode.ServiceUnavailable, $"{method} {path}: {response.StatusCode}");
            Assert.Equal(TimeSpan.FromSeconds(60), response.Headers.RetryAfter?.Delta);
        }

        // The form answers before it stores, so the first sign-up is taken; once the worker has found the database
        // gone, the next is refused rather than promised a mail.
        using (var form = new FormUrlEncodedContent([KeyValuePair.Create("email", "during@example.com")]))
        using (var taken = await blog.Client.PostAsync("subscribe", form))
            Assert.Equal(HttpStatusCode.OK, taken.StatusCode);
        await Eventually.Until(() => backlog.StoreDown, "the sign-up worker finding the database unreachable", seconds: 60);
        using (var form = new FormUrlEncodedContent([KeyValuePair.Create("email", "refused@example.com")]))
        using (var refused = await blog.Client.PostAsync("subscribe", form))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
            Assert.Equal(TimeSpan.FromSeconds(60), refused.Headers.RetryAfter?.Delta);
        }

        link.Restore();
        await backlog.WhenIdleAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(90));
        Assert.Equal(SubscriberStatus.Pending, (await store.FindAsync(EmailAddress.Parse("during@example.com"), CancellationToken.None))!.Status);
        Assert.Null(await store.FindAsync(EmailAddress.Parse("refused@example.com"), CancellationToken.None));
        using var back = await blog.Client.GetAsync($"preferences?token={tokens.Preferences(before)}");
        Assert.Equal(HttpStatusCode.OK, back.StatusCode);
    }
}

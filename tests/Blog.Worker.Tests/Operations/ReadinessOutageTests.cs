using System.Net;
using Npgsql;

namespace Blog.Tests.Operations;

/// <summary>
/// <c>/readyz</c> follows the database: real PostgreSQL behind a loopback link the test cuts, as a network or a server
/// going away would. <c>/healthz</c> does not: the process still answers, and restarting it would mend nothing.
/// </summary>
[Collection(SharedPostgres.Name)]
public sealed class ReadinessOutageTests(PostgresServer server)
{
    [Fact]
    public async Task Readyz_answers_503_while_the_database_cannot_be_reached_and_200_once_it_is_back_while_healthz_stays_200()
    {
        await using var link = TcpLink.To(server.Port);
        var connection = new NpgsqlConnectionStringBuilder(await server.CreateDatabaseAsync()) { Port = link.Port, Timeout = 2 }.ToString();
        using var folder = new TempFolder();
        folder.Write("posts/a.md", PostText.Of("A", "2026-01-01"));
        await using var blog = await RunningBlog.StartAsync(folder.Combine("posts"), folder.Combine("out"),
            "--Storage:Provider=Postgres", $"--Storage:ConnectionString={connection}", "--Operations:CheckTimeout=00:00:03", "--Logging:LogLevel:Default=None");
        using var console = new HttpClient { BaseAddress = blog.ConsoleAddress };
        await Eventually.Until(async () => (await blog.Client.GetAsync("readyz")).StatusCode == HttpStatusCode.OK, "ready at first", seconds: 60);

        link.Cut();
        await Eventually.Until(async () => (await blog.Client.GetAsync("readyz")).StatusCode == HttpStatusCode.ServiceUnavailable, "readyz turning 503", seconds: 60);
        foreach (var client in new[] { blog.Client, console })
        {
            using var unready = await client.GetAsync("readyz");
            Assert.Equal(HttpStatusCode.ServiceUnavailable, unready.StatusCode);
            var text = await unready.Content.ReadAsStringAsync();
            Assert.Equal("Unhealthy", text);
            using var live = await client.GetAsync("healthz");
            Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        }

        link.Restore();
        await Eventually.Until(async () => (await blog.Client.GetAsync("readyz")).StatusCode == HttpStatusCode.OK, "readyz turning 200 again", seconds: 60);
    }
}

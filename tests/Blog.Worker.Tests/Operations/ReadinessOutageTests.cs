using System.Net;
using System.Net.Sockets;
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

    /// <summary>A loopback TCP relay to a port, on a port of its own; cut, it drops every connection and refuses new ones.</summary>
    private sealed class TcpLink : IAsyncDisposable
    {
        private readonly TcpListener listener = new(IPAddress.Loopback, 0);
        private readonly List<TcpClient> open = [];
        private readonly Lock gate = new();
        private readonly int target;
        private readonly Task accepting;
        private bool up = true;

        private TcpLink(int target)
        {
            this.target = target;
            listener.Start();
            accepting = AcceptAsync();
        }

        public int Port => ((IPEndPoint)listener.LocalEndpoint).Port;

        public static TcpLink To(int port) => new(port);

        public void Cut()
        {
            lock (gate)
            {
                up = false;
                foreach (var client in open) Reset(client);
                open.Clear();
            }
        }

        public void Restore()
        {
            lock (gate) up = true;
        }

        private async Task AcceptAsync()
        {
            while (true)
            {
                TcpClient client;
                try
                {
                    client = await listener.AcceptTcpClientAsync();
                }
                catch (Exception e) when (e is SocketException or ObjectDisposedException)
                {
                    return;
                }
                var upstream = new TcpClient();
                try
                {
                    lock (gate)
                    {
                        if (!up)
                        {
                            Reset(client);
                            upstream.Dispose();
                            continue;
                        }
                    }
                    await upstream.ConnectAsync(IPAddress.Loopback, target);
                    lock (gate)
                    {
                        open.Add(client);
                        open.Add(upstream);
                    }
                    _ = PumpAsync(client, upstream);
                    _ = PumpAsync(upstream, client);
                }
                catch (SocketException)
                {
                    Reset(client);
                    upstream.Dispose();
                }
            }
        }

        private static async Task PumpAsync(TcpClient from, TcpClient to)
        {
            try
            {
                await from.GetStream().CopyToAsync(to.GetStream());
            }
            catch (Exception e) when (e is IOException or ObjectDisposedException or InvalidOperationException or SocketException)
            {
                // Cut, or the other side closed: either way this direction is done.
            }
            Reset(from);
            Reset(to);
        }

        /// <summary>Closes with a reset, as a vanished host does, not an orderly goodbye.</summary>
        private static void Reset(TcpClient client)
        {
            try
            {
                if (client.Client is { } socket) socket.LingerState = new LingerOption(true, 0);
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
            }
            client.Dispose();
        }

        public async ValueTask DisposeAsync()
        {
            Cut();
            listener.Stop();
            await accepting;
        }
    }
}

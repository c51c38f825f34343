using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Npgsql;
using Xunit.Abstractions;

namespace Blog.Tests.Digests;

/// <summary>
/// Three <c>blog run</c> processes on one PostgreSQL database and one SMTP server: the Quartz cluster fires the
/// digest once, all three send part of it, the busiest is killed with SIGKILL mid-run, and the other two finish it.
/// </summary>
[Collection(SharedPostgres.Name)]
public sealed partial class ClusterTests(PostgresServer server, ITestOutputHelper output)
{
    private const int Subscribers = 5000;
    private const int Connections = 2;

    [Fact]
    public async Task Three_nodes_share_one_fire_of_a_digest_and_finish_it_when_the_busiest_is_killed()
    {
        using var folder = new TempFolder();
        await using var smtp = await SmtpTestServer.StartAsync();
        var database = await server.CreateDatabaseAsync();
        var posts = folder.Combine("posts");
        var date = DateTimeOffset.UtcNow.AddMinutes(-45).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        for (var i = 0; i < 3; i++) folder.Write($"posts/post-{i}.md", PostText.Of($"Post {i}", date, extra: "tags: [cluster]"));
        string[] shared = ["--content", posts, "--Storage:Provider=Postgres", $"--Storage:ConnectionString={database}", "--Logging:LogLevel:Default=None"];

        var csv = folder.Write("list.csv", "email,cadence\n" + string.Concat(Enumerable.Range(0, Subscribers).Select(n => $"reader{n:D5}@example.com,weekly\n")));
        var (exit, _, stderr) = await Cli(["subscribers", "import", csv, "--confirmed", "--data", folder.Combine("cli"), .. shared]);
        Assert.True(exit == 0, stderr);
        await ExecuteAsync(database, "UPDATE subscribers SET confirmed_at = confirmed_at - 3600000");

        // One fire, once all three nodes are up: the cron names a second next year (a cron with a year fires once),
        // and the test brings that fire forward to now in the job store when every node's scheduler has checked in.
        var later = DateTimeOffset.UtcNow.AddYears(1);
        var cron = $"0 0 0 1 1 ? {later.Year}";
        var nodes = Enumerable.Range(0, 3).Select(n => Node.Start(n, folder, [.. shared,
            "--Logging:LogLevel:Blog.Digests.DigestJob=Information", $"--Digests:Cadences:weekly:Cron={cron}", "--Digests:TimeZone=UTC",
            "--Digests:Lease=00:00:03", "--Mail:PollInterval=00:00:00.5", "--Mail:RetryDelay=00:00:00.2",
            "--Mail:Transport=Smtp", "--Mail:Smtp:Host=127.0.0.1", $"--Mail:Smtp:Port={smtp.Port}", "--Mail:Smtp:Security=None",
            $"--Mail:Smtp:MaxConnections={Connections}"])).ToList();
        try
        {
            using var http = new HttpClient();
            foreach (var node in nodes) await Eventually.Until(() => node.HealthyAsync(http), $"node {node.Number} serving", seconds: 60);
            // A clustered scheduler checks in once started, after it stored its triggers: three rows, three nodes ready to fire and to send.
            await Eventually.Until(async () => Convert.ToInt64(await ScalarAsync(database, "SELECT COUNT(*) FROM qrtz_scheduler_state"), CultureInfo.InvariantCulture) == 3,
                "three schedulers checked in", seconds: 60);
            Assert.Equal(0L, await ScalarAsync(database, "SELECT COUNT(*) FROM digest_runs"));
            // The fire brought forward: what a reschedule writes. A node finds it at its next look at the store (within
            // Quartz's idle wait), and the cluster lets one of them fire it.
            Assert.Equal(1L, await ScalarAsync(database, "WITH moved AS (UPDATE qrtz_triggers SET next_fire_time = "
                + $"{DateTimeOffset.UtcNow.UtcTicks.ToString(CultureInfo.InvariantCulture)} WHERE trigger_group = 'digests' AND trigger_name = 'digest-weekly' "
                + "AND trigger_state = 'WAITING' RETURNING 1) SELECT COUNT(*) FROM moved"));

            // The feeds: every node builds the same bytes with the same validators from the same content.
            var feeds = await Task.WhenAll(nodes.Select(n => n.GetAsync(http, "feed.xml")));
            Assert.All(feeds, f => Assert.Equal(feeds[0], f));

            var moved = Stopwatch.StartNew();
            await Eventually.Until(() => nodes.Sum(n => n.Planned) > 0, "the fire planned", seconds: 90);
            output.WriteLine($"planned {moved.Elapsed.TotalSeconds:F1} s after the fire was brought forward");
            await Eventually.Until(async () => (await SentByAsync(database)).Values.Sum() >= 1000, "1,000 digests sent", seconds: 90);
            var sentBy = await SentByAsync(database);
            var busiest = nodes.MaxBy(n => sentBy.GetValueOrDefault(n.Id))!;
            busiest.Kill();
            var atKill = await SentByAsync(database);
            output.WriteLine($"at the kill: {string.Join(", ", atKill.Select(p => $"{p.Key} {p.Value}"))}; killed {busiest.Id}");

            await Eventually.Until(async () => Convert.ToInt64(await ScalarAsync(database, "SELECT COUNT(*) FROM deliveries WHERE status = 'sent'"),
                CultureInfo.InvariantCulture) == Subscribers, "every delivery sent", seconds: 120);
            var final = await SentByAsync(database);
            output.WriteLine($"sent by: {string.Join(", ", final.Select(p => $"{p.Key} {p.Value}"))}");

            // Fired once: one node's job planned the run; the others only sent.
            var planned = nodes.Sum(n => n.Planned);
            Assert.Equal(1, planned);
            Assert.Equal(1L, await ScalarAsync(database, "SELECT COUNT(*) FROM digest_runs"));
            // All three sent part of it, the killed one included.
            Assert.Equal(3, final.Count);
            Assert.All(nodes, n => Assert.True(final.GetValueOrDefault(n.Id) > 0, $"node {n.Number} sent nothing"));
            Assert.True(final[busiest.Id] >= atKill[busiest.Id]);

            var perRecipient = smtp.Received.GroupBy(m => m.To.Mailboxes.Single().Address).ToDictionary(g => g.Key, g => g.Count());
            Assert.Equal(Subscribers, perRecipient.Count);
            var twice = perRecipient.Where(p => p.Value > 1).ToList();
            output.WriteLine($"{smtp.Received.Count} messages for {perRecipient.Count} subscribers; sent twice: {twice.Count} (the killed node had {Connections} connections in flight)");
            Assert.True(twice.Count <= Connections, $"sent twice: {string.Join(", ", twice.Select(t => t.Key))}");
            Assert.All(twice, t => Assert.Equal(2, t.Value));
        }
        finally
        {
            foreach (var node in nodes) node.Dispose();
            NpgsqlConnection.ClearAllPools();
        }
    }

    [Fact]
    public async Task A_fifteen_second_cadence_on_three_nodes_plans_each_fire_once_and_mails_each_of_two_posts_once()
    {
        const int readers = 12;
        using var folder = new TempFolder();
        await using var smtp = await SmtpTestServer.StartAsync();
        var database = await server.CreateDatabaseAsync();
        var posts = folder.Combine("posts");
        folder.Write("posts/first.md", PostText.Of("First", DateTimeOffset.UtcNow.AddMinutes(-45).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)));
        string[] shared = ["--content", posts, "--Storage:Provider=Postgres", $"--Storage:ConnectionString={database}", "--Logging:LogLevel:Default=None"];
        var csv = folder.Write("list.csv", "email,cadence\n" + string.Concat(Enumerable.Range(0, readers).Select(n => $"reader{n:D2}@example.com,often\n")));
        var (exit, _, stderr) = await Cli(["subscribers", "import", csv, "--confirmed", "--data", folder.Combine("cli"), .. shared,
            "--Digests:Cadences:often:Cron=0/15 * * * * ?"]);
        Assert.True(exit == 0, stderr);
        await ExecuteAsync(database, "UPDATE subscribers SET confirmed_at = confirmed_at - 3600000");

        var nodes = Enumerable.Range(0, 3).Select(n => Node.Start(n, folder, [.. shared,
            "--Logging:LogLevel:Blog.Digests.DigestJob=Information", "--Digests:Cadences:often:Cron=0/15 * * * * ?", "--Digests:CoolOff=00:00:00",
            "--Mail:PollInterval=00:00:00.5", "--Mail:Transport=Smtp", "--Mail:Smtp:Host=127.0.0.1", $"--Mail:Smtp:Port={smtp.Port}",
            "--Mail:Smtp:Security=None", "--Posts:RescanInterval=00:00:01"])).ToList();
        try
        {
            using var http = new HttpClient();
            foreach (var node in nodes) await Eventually.Until(() => node.HealthyAsync(http), $"node {node.Number} serving", seconds: 60);
            await Eventually.Until(() => smtp.Received.Count >= readers, "the first post mailed", seconds: 60);

            folder.Write("posts/second.md", PostText.Of("Second", DateTimeOffset.UtcNow.AddMinutes(-1).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)));
            await Eventually.Until(() => smtp.Received.Count >= 2 * readers, "the second post mailed", seconds: 60);
            // Two more fires after that: each plans once and mails nothing more.
            var runs = Convert.ToInt64(await ScalarAsync(database, "SELECT COUNT(*) FROM digest_runs"), CultureInfo.InvariantCulture);
            await Eventually.Until(async () => Convert.ToInt64(await ScalarAsync(database, "SELECT COUNT(*) FROM digest_runs WHERE planned_at IS NOT NULL"),
                CultureInfo.InvariantCulture) >= runs + 2, "two more fires", seconds: 60);

            var perRecipient = smtp.Received.GroupBy(m => m.To.Mailboxes.Single().Address).ToDictionary(g => g.Key, g => g.Select(m => m.Subject).ToList());
            Assert.Equal(readers, perRecipient.Count);
            Assert.All(perRecipient.Values, subjects => Assert.Equal(["Blog: First", "Blog: Second"], subjects));
            var keys = Convert.ToInt64(await ScalarAsync(database, "SELECT COUNT(DISTINCT key) FROM digest_runs"), CultureInfo.InvariantCulture);
            Assert.Equal(0L, Convert.ToInt64(await ScalarAsync(database, "SELECT COUNT(*) FROM digest_runs WHERE key NOT LIKE 'often/%:_0Z' AND key NOT LIKE 'often/%:_5Z'"),
                CultureInfo.InvariantCulture));
            // Each fire planned by one node: as many "planned" lines across the nodes as runs (a fire still to come may be planning).
            await Eventually.Until(async () => nodes.Sum(n => n.Planned) == Convert.ToInt64(await ScalarAsync(database,
                "SELECT COUNT(*) FROM digest_runs WHERE planned_at IS NOT NULL"), CultureInfo.InvariantCulture), "one planned line a run", seconds: 30);
            // And no fire planned twice: every run named by one line only, across the nodes.
            var twice = nodes.SelectMany(n => n.PlannedRuns).GroupBy(k => k, StringComparer.Ordinal).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
            Assert.True(twice.Count == 0, $"planned more than once: {string.Join(", ", twice)}");
            output.WriteLine($"{keys} runs; planned lines per node: {string.Join(", ", nodes.Select(n => n.Planned))}");
        }
        finally
        {
            foreach (var node in nodes) node.Dispose();
            NpgsqlConnection.ClearAllPools();
        }
    }

    private static Task<(int Exit, string Out, string Err)> Cli(string[] args) => BlogCommand.RunAsync(args);

    private static async Task<Dictionary<string, long>> SentByAsync(string database)
    {
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT sent_by, COUNT(*) FROM deliveries WHERE status = 'sent' GROUP BY sent_by", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        while (await reader.ReadAsync()) counts[reader.GetString(0)] = reader.GetInt64(1);
        return counts;
    }

    private static async Task ExecuteAsync(string database, string sql) => await ScalarAsync(database, sql);

    private static async Task<object?> ScalarAsync(string database, string sql)
    {
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync();
    }

    /// <summary>One <c>blog run</c> child process, its own port and data folder; counts its job's "planned" log lines.</summary>
    private sealed partial class Node : IDisposable
    {
        private readonly Process process;
        private readonly ConcurrentQueue<string> lines = new();

        private Node(int number, Process process)
        {
            Number = number;
            this.process = process;
            Id = $"{Environment.MachineName}/{process.Id}";
            process.OutputDataReceived += (_, e) => { if (e.Data is not null) lines.Enqueue(e.Data); };
            process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lines.Enqueue(e.Data); };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
        }

        public int Number { get; }
        /// <summary>Where the node listens, from its "Now listening on" line; null until it logged it.</summary>
        private Uri? Address => lines.Select(LoopbackPort.FromLog).FirstOrDefault(a => a is not null);

        /// <summary>How <c>deliveries.sent_by</c> names this node.</summary>
        public string Id { get; }

        public int Planned => lines.Count(l => PlannedLine().IsMatch(l));

        /// <summary>The run named by each of this node's "planned" lines.</summary>
        public IEnumerable<string> PlannedRuns => lines.Select(l => PlannedLine().Match(l)).Where(m => m.Success).Select(m => m.Groups[1].Value);

        public static Node Start(int number, TempFolder folder, string[] settings)
        {
            var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var arg in (string[])[Path.Combine(AppContext.BaseDirectory, "blog.dll"), "run", "--urls", LoopbackPort.AnyUrl, "--Logging:LogLevel:Microsoft.Hosting.Lifetime=Information",
                         "--out", folder.Combine($"out{number}"), "--data", folder.Combine($"data{number}"), .. settings])
                info.ArgumentList.Add(arg);
            return new Node(number, Process.Start(info)!);
        }

        public async Task<bool> HealthyAsync(HttpClient http)
        {
            if (process.HasExited) throw new InvalidOperationException($"node {Number} exited ({process.ExitCode}):\n{string.Join('\n', lines)}");
            if (Address is not { } address) return false;
            try
            {
                return (await http.GetAsync(new Uri(address, "healthz"))).IsSuccessStatusCode;
            }
            catch (HttpRequestException)
            {
                return false;
            }
        }

        public async Task<string> GetAsync(HttpClient http, string path)
        {
            using var response = await http.GetAsync(new Uri(Address!, path));
            response.EnsureSuccessStatusCode();
            return $"ETag {response.Headers.ETag}; Last-Modified {response.Content.Headers.LastModified:R}\n{await response.Content.ReadAsStringAsync()}";
        }

        /// <summary>SIGKILL: no shutdown, leases left as they are.</summary>
        public void Kill()
        {
            process.Kill();
            process.WaitForExit();
        }

        public void Dispose()
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
            process.WaitForExit();
            process.Dispose();
        }

        [GeneratedRegex(@"Digest run (\S+) planned for \d+ subscribers")]
        private static partial Regex PlannedLine();
    }
}

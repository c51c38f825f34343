using Blog.Cli;
using Blog.Storage;
using Blog.MailingList;
using Blog.Tests.Digests;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Blog.Tests.Storage;

/// <summary><c>blog storage migrate</c>: a SQLite install with history, copied into a real PostgreSQL, then used there.</summary>
[Collection(SharedPostgres.Name)]
public sealed class StorageMigrateTests(PostgresServer server)
{
    [Fact]
    public async Task A_SQLite_install_moves_to_PostgreSQL_with_its_history_and_carries_on_there()
    {
        await using var blog = await DigestBlog.CreateAsync(20);
        Assert.Contains("sent 20 digests", (await blog.RunAsync("digest", "send", "--cadence", "weekly")).Out, StringComparison.Ordinal);
        Assert.Equal(0, (await blog.RunAsync("subscribers", "add", "late@example.com", "--Mail:Transport=Pickup")).Exit);
        var target = await server.CreateDatabaseAsync();

        var (exit, stdout, stderr) = await blog.RunAsync("storage", "migrate", "--to", target);
        Assert.True(exit == 0, stderr);
        Assert.Matches(@"subscribers\s+21 rows, counts verified", stdout);
        Assert.Matches(@"deliveries\s+20 rows, counts verified", stdout);
        foreach (var table in new[] { "subscribers", "mail_outbox", "digest_runs", "deliveries", "posts_seen", "blog_state" })
            Assert.Equal(Convert.ToInt64(await blog.ScalarAsync($"SELECT COUNT(*) FROM {table}")), await CountAsync(target, table));
        Assert.Equal(await blog.ScalarAsync("SELECT SUM(watermark) FROM subscribers"), await ScalarAsync(target, "SELECT SUM(watermark)::bigint FROM subscribers"));
        Assert.Equal(await blog.ScalarAsync("SELECT SUM(first_seen) FROM posts_seen"), await ScalarAsync(target, "SELECT SUM(first_seen)::bigint FROM posts_seen"));

        string[] postgres = ["--Storage:Provider=Postgres", $"--Storage:ConnectionString={target}"];
        // The history came along: the watermarks say these posts were had, and the run is finished.
        var preview = await blog.RunAsync(["digest", "preview", "--to", "reader0007@example.com", .. postgres]);
        Assert.True(preview.Exit == 0, preview.Err);
        Assert.StartsWith("nothing new for reader0007@example.com", preview.Out, StringComparison.Ordinal);
        var again = await blog.RunAsync(["digest", "send", "--cadence", "weekly", .. postgres]);
        Assert.True(again.Exit == 0, again.Err);
        Assert.Equal(20, blog.Smtp.Received.Count);
        Assert.Matches(@"weekly/\S+\s+\S+ \S+\s+20\s+0\s+0\s+0", (await blog.RunAsync(["digest", "status", .. postgres])).Out);
        // New rows take ids after the copied ones.
        var added = await blog.RunAsync(["subscribers", "add", "new@example.com", "--confirmed", .. postgres]);
        Assert.True(added.Exit == 0, added.Err);
        Assert.Equal(22L, await ScalarAsync(target, "SELECT MAX(id) FROM subscribers"));

        var twice = await blog.RunAsync("storage", "migrate", "--to", target);
        Assert.Equal(1, twice.Exit);
        Assert.Contains("is not empty: subscribers has 22 rows", twice.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_bad_target_is_refused_with_a_message_and_nothing_changes()
    {
        await using var blog = await DigestBlog.CreateAsync(1);
        var missing = await blog.RunAsync("storage", "migrate");
        Assert.Equal(1, missing.Exit);
        Assert.Contains("needs --to", missing.Err, StringComparison.Ordinal);
        using var closed = LoopbackPort.Closed(out var port);
        var unreachable = await blog.RunAsync("storage", "migrate", "--to", $"Host=127.0.0.1;Port={port};Username=blog;Database=x;Timeout=2");
        Assert.Equal(1, unreachable.Exit);
        Assert.Contains("cannot connect to the PostgreSQL database \"x\"", unreachable.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_erased_subscribers_id_is_not_given_to_a_new_one_after_the_move_and_links_keep_their_key()
    {
        using var folder = new TempFolder();
        var target = await server.CreateDatabaseAsync();
        Subscriber kept;
        using (var sqlite = TestSubscriptions.Database(folder.Path))
        {
            var store = new SqlSubscriberStore(sqlite);
            await store.ImportAsync([.. new[] { "a@example.com", "b@example.com", "c@example.com" }.Select(a => TestSubscriptions.Draft(a, SubscriberStatus.Active))],
                DateTimeOffset.UnixEpoch, null, null, CancellationToken.None);
            // The highest id is erased: SQLite will never hand out 3 again, and neither may PostgreSQL.
            Assert.True(await store.ForgetAsync(EmailAddress.Parse("c@example.com"), CancellationToken.None));
            kept = (await store.FindAsync(EmailAddress.Parse("a@example.com"), CancellationToken.None))!;
            using var postgres = new PostgresDatabase(Options.Create(new StorageOptions { Provider = StorageOptions.Postgres, ConnectionString = target }),
                NullLogger<PostgresDatabase>.Instance);
            await new StorageCopy(sqlite, postgres).CopyAsync(null, CancellationToken.None);
        }
        using var moved = new PostgresDatabase(Options.Create(new StorageOptions { Provider = StorageOptions.Postgres, ConnectionString = target }),
            NullLogger<PostgresDatabase>.Instance);
        var there = new SqlSubscriberStore(moved);
        Assert.Equal(kept, await there.FindAsync(kept.Id, CancellationToken.None));
        await there.ImportAsync([TestSubscriptions.Draft("d@example.com", SubscriberStatus.Active)], DateTimeOffset.UnixEpoch, null, null, CancellationToken.None);
        Assert.Equal(4L, (await there.FindAsync(EmailAddress.Parse("d@example.com"), CancellationToken.None))!.Id);
    }

    [Fact]
    public async Task What_came_back_about_the_mail_moves_too_reports_stay_acted_on_and_suppressions_keep_working()
    {
        using var folder = new TempFolder();
        var target = await server.CreateDatabaseAsync();
        var rules = new Blog.Feedback.FeedbackRules(3, 5, TimeSpan.FromDays(14));
        Blog.Feedback.FeedbackEvent Report(string key, Blog.Feedback.FeedbackKind kind, string address) =>
            new(key, kind, "imap", DateTimeOffset.UnixEpoch.AddDays(1), new Blog.Feedback.FeedbackTarget(Address: address) { Trusted = true }, "550 5.1.1");
        long a;
        using (var sqlite = TestSubscriptions.Database(folder.Path))
        {
            var store = new SqlSubscriberStore(sqlite);
            var feedback = new SqlFeedbackStore(sqlite);
            await store.ImportAsync([.. new[] { "a@example.com", "b@example.com" }.Select(x => TestSubscriptions.Draft(x, SubscriberStatus.Active))],
                DateTimeOffset.UnixEpoch, null, null, CancellationToken.None);
            a = (await store.FindAsync(EmailAddress.Parse("a@example.com"), CancellationToken.None))!.Id;
            await feedback.RecordAsync(Report("dsn-1", Blog.Feedback.FeedbackKind.HardBounce, "a@example.com"), rules, CancellationToken.None);
            await feedback.RecordAsync(Report("arf-1", Blog.Feedback.FeedbackKind.Complaint, "b@example.com"), rules, CancellationToken.None);
            Assert.True(await store.ForgetAsync(EmailAddress.Parse("b@example.com"), CancellationToken.None));
            using var postgres = new PostgresDatabase(Options.Create(new StorageOptions { Provider = StorageOptions.Postgres, ConnectionString = target }),
                NullLogger<PostgresDatabase>.Instance);
            var copied = await new StorageCopy(sqlite, postgres).CopyAsync(null, CancellationToken.None);
            Assert.Contains(("subscriber_events", 1L), copied);
            Assert.Contains(("feedback_reports", 2L), copied);
            Assert.Contains(("suppressions", 1L), copied);
        }
        using var moved = new PostgresDatabase(Options.Create(new StorageOptions { Provider = StorageOptions.Postgres, ConnectionString = target }),
            NullLogger<PostgresDatabase>.Instance);
        var there = new SqlFeedbackStore(moved);
        Assert.Equal(Blog.Feedback.FeedbackOutcome.Duplicate, (await there.RecordAsync(Report("dsn-1", Blog.Feedback.FeedbackKind.HardBounce, "a@example.com"), rules,
            CancellationToken.None)).Outcome);
        Assert.Equal(Blog.Feedback.FeedbackOutcome.Applied, (await there.RecordAsync(Report("dsn-2", Blog.Feedback.FeedbackKind.HardBounce, "a@example.com"), rules,
            CancellationToken.None)).Outcome);
        var history = new List<Blog.Feedback.SubscriberEvent>();
        await foreach (var e in there.HistoryAsync(a, CancellationToken.None)) history.Add(e);
        Assert.Equal(2, history.Count);
        // The erased complainer stays off the list there: the key the suppression was hashed under came along.
        var import = await new SqlSubscriberStore(moved).ImportAsync([TestSubscriptions.Draft("b@example.com")], DateTimeOffset.UnixEpoch, null, null, CancellationToken.None);
        Assert.Equal(1, import.Suppressed);
    }

    [Fact]
    public async Task Moving_an_install_from_before_case_merging_says_whom_it_merged()
    {
        var (stores, database) = await SqliteStores.CreateAtSchemaAsync(3, """
            INSERT INTO subscribers (id, address, status, tags, cadence, created_at)
            VALUES (1, 'user7@example.com', 'active', '', 'weekly', 0), (2, 'USER7@example.com', 'active', '', 'weekly', 0);
            """);
        using var cleanup = stores.Cleanup;
        var data = Path.GetDirectoryName(((SqliteDatabase)database).Path)!;
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var exit = await BlogCli.RunAsync(["storage", "migrate", "--data", data, "--to", await server.CreateDatabaseAsync()], stdout, stderr);
        Assert.True(exit == 0, stderr.ToString());
        Assert.Contains("merged case duplicates (one subscriber now): user7@example.com (id 1) absorbed USER7@example.com (id 2)", stdout.ToString(), StringComparison.Ordinal);
        Assert.Matches(@"subscribers\s+1 rows, counts verified", stdout.ToString());
    }

    [Fact]
    public async Task The_target_can_come_from_the_environment_so_no_password_is_on_the_command_line()
    {
        await using var blog = await DigestBlog.CreateAsync(1);
        var target = await server.CreateDatabaseAsync();
        Environment.SetEnvironmentVariable(StorageCommands.TargetVariable, target);
        try
        {
            var (exit, stdout, stderr) = await blog.RunAsync("storage", "migrate");
            Assert.True(exit == 0, stderr);
            Assert.Matches(@"subscribers\s+1 rows, counts verified", stdout);
        }
        finally
        {
            Environment.SetEnvironmentVariable(StorageCommands.TargetVariable, null);
        }
        var help = await blog.RunAsync("storage", "migrate", "--help");
        Assert.Contains(StorageCommands.TargetVariable, help.Out + help.Err, StringComparison.Ordinal);
        Assert.Contains("PGPASSWORD", help.Out + help.Err, StringComparison.Ordinal);
        Assert.Contains(".pgpass", help.Out + help.Err, StringComparison.Ordinal);
    }

    private static async Task<long> CountAsync(string connectionString, string table) =>
        Convert.ToInt64(await ScalarAsync(connectionString, $"SELECT COUNT(*) FROM {table}"));

    private static async Task<object?> ScalarAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync();
    }
}

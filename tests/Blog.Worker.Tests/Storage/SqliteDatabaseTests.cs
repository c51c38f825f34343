using Blog.Storage;
using Microsoft.Data.Sqlite;

namespace Blog.Tests.Storage;

public sealed class SqliteDatabaseTests
{
    [Fact]
    public async Task The_first_open_creates_the_folder_and_file_in_WAL_mode_at_the_newest_schema()
    {
        using var folder = new TempFolder();
        using var database = TestSubscriptions.Database(folder.Combine("nested", "data"));
        await using var connection = await database.OpenAsync(CancellationToken.None);
        Assert.True(File.Exists(folder.Combine("nested", "data", "blog.db")));
        Assert.Equal("wal", await Scalar((SqliteConnection)connection, "PRAGMA journal_mode;"));
        Assert.Equal((long)database.SchemaVersion, await Scalar((SqliteConnection)connection, "PRAGMA user_version;"));
        Assert.Equal(1L, await Scalar((SqliteConnection)connection, "PRAGMA foreign_keys;"));
    }

    [Fact]
    public async Task Rebuilding_the_subscribers_table_for_version_7_keeps_the_foreign_keys_on_it_and_the_ids_handed_out()
    {
        // Ids up to 9 were handed out, the last ones erased since: SQLite must not hand them out again after the rebuild.
        var (stores, database) = await SqliteStores.CreateAtSchemaAsync(6, """
            INSERT INTO subscribers (id, address, address_key, status, cadence, created_at) VALUES (1, 'ann@example.com', 'ann@example.com', 'active', 'weekly', 0);
            UPDATE sqlite_sequence SET seq = 9 WHERE name = 'subscribers';
            """);
        using var cleanup = stores.Cleanup;
        await stores.Store.ImportAsync([TestSubscriptions.Draft("bob@example.com")], DateTimeOffset.UnixEpoch, null, null, CancellationToken.None);
        Assert.Equal(10L, (await stores.Store.FindAsync(Blog.MailingList.EmailAddress.Parse("bob@example.com"), CancellationToken.None))!.Id);

        await using var connection = (SqliteConnection)await database.OpenAsync(CancellationToken.None);
        Assert.Equal(1L, await Scalar(connection, "PRAGMA foreign_keys;"));
        Assert.Equal(0L, await Scalar(connection, "SELECT COUNT(*) FROM sqlite_master WHERE name = 'subscribers_new' OR sql LIKE '%subscribers_new%'"));
        foreach (var table in new[] { "mail_outbox", "deliveries", "subscriber_merges", "subscriber_events" })
            Assert.Equal("subscribers", await Scalar(connection, $"SELECT \"table\" FROM pragma_foreign_key_list('{table}')"));
        Assert.Equal(1L, await Scalar(connection, "SELECT COUNT(*) FROM sqlite_sequence WHERE name = 'subscribers'"));
    }

    [Fact]
    public async Task A_schema_6_database_with_orphans_left_by_the_sqlite3_shell_upgrades_without_them_and_keeps_everything_else()
    {
        // The sqlite3 shell runs with foreign keys off, so deleting subscriber 2 there left its rows behind; a cascade
        // would have removed them, so the upgrade does, instead of refusing the file.
        var (stores, database) = await SqliteStores.CreateAtSchemaAsync(6, """
            PRAGMA foreign_keys = OFF;
            INSERT INTO subscribers (id, address, address_key, status, cadence, created_at) VALUES (1, 'ann@example.com', 'ann@example.com', 'active', 'weekly', 0);
            INSERT INTO digest_runs (key, cadence, created_at) VALUES ('r1', 'weekly', 0);
            INSERT INTO deliveries (run_key, subscriber_id, status, posts, message_id, next_attempt_at) VALUES ('r1', 1, 'sent', '', '<a@x>', 0);
            INSERT INTO deliveries (run_key, subscriber_id, status, posts, message_id, next_attempt_at) VALUES ('r1', 2, 'sent', '', '<b@x>', 0);
            INSERT INTO mail_outbox (subscriber_id, recipient, message_id, purpose, mime, next_attempt_at, created_at) VALUES (1, 'ann@example.com', '<c@x>', 'confirm', x'00', 0, 0);
            INSERT INTO mail_outbox (subscriber_id, recipient, message_id, purpose, mime, next_attempt_at, created_at) VALUES (2, 'bob@example.com', '<d@x>', 'confirm', x'00', 0, 0);
            INSERT INTO subscriber_merges (id, into_id) VALUES (3, 2);
            """);
        using var cleanup = stores.Cleanup;

        await using var connection = (SqliteConnection)await database.OpenAsync(CancellationToken.None);
        Assert.Equal((long)database.SchemaVersion, await Scalar(connection, "PRAGMA user_version;"));
        Assert.Equal(1L, await Scalar(connection, "SELECT COUNT(*) FROM subscribers"));
        Assert.Equal(1L, await Scalar(connection, "SELECT subscriber_id FROM deliveries"));
        Assert.Equal(1L, await Scalar(connection, "SELECT subscriber_id FROM mail_outbox"));
        Assert.Equal(0L, await Scalar(connection, "SELECT COUNT(*) FROM subscriber_merges"));
        Assert.Equal(1L, await Scalar(connection, "SELECT COUNT(*) FROM digest_runs"));
    }

    [Fact]
    public async Task The_data_folder_and_database_are_private_to_the_service_whatever_the_umask()
    {
        if (OperatingSystem.IsWindows()) return;
        using var folder = new TempFolder();
        using var database = TestSubscriptions.Database(folder.Combine("data"));
        await using (await database.OpenAsync(CancellationToken.None)) { }
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(folder.Combine("data")));
        foreach (var file in Directory.GetFiles(folder.Combine("data"), "blog.db*"))
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        Assert.Contains(Directory.GetFiles(folder.Combine("data")), f => f.EndsWith("blog.db-wal", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Opening_again_keeps_the_data_and_runs_no_migration_twice()
    {
        using var folder = new TempFolder();
        using (var first = TestSubscriptions.Database(folder.Path))
        {
            var store = new SqlSubscriberStore(first);
            await store.ImportAsync([TestSubscriptions.Draft("ann@example.com")], DateTimeOffset.UnixEpoch, null, null, CancellationToken.None);
        }
        using var second = TestSubscriptions.Database(folder.Path);
        Assert.Equal(1, (await new SqlSubscriberStore(second).CountAsync(CancellationToken.None)).Total);
    }

    [Fact]
    public async Task A_database_from_a_newer_blog_is_refused_with_a_message_that_says_so()
    {
        using var folder = new TempFolder();
        Directory.CreateDirectory(folder.Path);
        await using (var raw = new SqliteConnection($"Data Source={folder.Combine("blog.db")};Pooling=False"))
        {
            await raw.OpenAsync();
            await Scalar(raw, "PRAGMA user_version = 99;");
        }
        using var database = TestSubscriptions.Database(folder.Path);
        // Its own type: trying again cannot help, so nothing treats it as the database being down for a moment.
        var e = await Assert.ThrowsAsync<SchemaTooNewException>(() => database.MigrateAsync(CancellationToken.None));
        Assert.False(Database.IsDriverError(e));
        Assert.Contains("schema version 99", e.Message, StringComparison.Ordinal);
        Assert.Contains($"up to {database.SchemaVersion}", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_service_on_a_database_from_a_newer_blog_stops_at_start_saying_so()
    {
        using var folder = new TempFolder();
        Directory.CreateDirectory(folder.Combine("data"));
        await using (var raw = new SqliteConnection($"Data Source={folder.Combine("data", "blog.db")};Pooling=False"))
        {
            await raw.OpenAsync();
            await Scalar(raw, "PRAGMA user_version = 99;");
        }
        await using var app = Blog.Cli.BlogCli.CreateService(["run", "--content", Path.Combine(TestSite.RepositoryRoot(), "content", "posts"),
            "--out", folder.Combine("out"), "--data", folder.Combine("data"), "--urls", LoopbackPort.AnyUrl,
            "--Logging:LogLevel:Default=None"]);
        // Not a service that starts and answers 503 as if the database were down for a moment.
        var e = await Assert.ThrowsAsync<SchemaTooNewException>(() => app.StartAsync());
        Assert.Contains("run that version", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_file_that_is_not_a_database_gets_a_storage_error_naming_it()
    {
        using var folder = new TempFolder();
        folder.Write("blog.db", new string('x', 4096));
        using var database = TestSubscriptions.Database(folder.Path);
        var e = await Assert.ThrowsAsync<DatabaseUnreachableException>(() => database.MigrateAsync(CancellationToken.None));
        Assert.True(Database.IsDriverError(e));
        Assert.Contains(folder.Combine("blog.db"), e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_database_path_that_cannot_be_opened_is_unreachable_not_too_new()
    {
        using var folder = new TempFolder();
        // A folder where the file should be: SQLite cannot open it, whoever runs the test (root included).
        Directory.CreateDirectory(folder.Combine("blog.db"));
        using var database = TestSubscriptions.Database(folder.Path);
        var e = await Assert.ThrowsAsync<DatabaseUnreachableException>(() => database.MigrateAsync(CancellationToken.None));
        Assert.Contains(folder.Combine("blog.db"), e.Message, StringComparison.Ordinal);
    }

    private static async Task<object?> Scalar(SqliteConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return await command.ExecuteScalarAsync();
    }
}

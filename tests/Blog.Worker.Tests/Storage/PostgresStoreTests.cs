using Blog.Storage;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Blog.Tests.Storage;

/// <summary>The same contract suites, unchanged, on a real PostgreSQL server: one fresh database per test.</summary>
internal static class PostgresStores
{
    public static async Task<StoreUnderTest> CreateAsync(PostgresServer server)
    {
        var database = new PostgresDatabase(Options.Create(new StorageOptions { Provider = StorageOptions.Postgres, ConnectionString = await server.CreateDatabaseAsync() }),
            NullLogger<PostgresDatabase>.Instance);
        return new StoreUnderTest(new SqlSubscriberStore(database), new SqlMailOutbox(database), new SqlDigestLedger(database), database)
            { Publications = new SqlPublicationLog(database), Feedback = new SqlFeedbackStore(database), Database = database };
    }

    /// <summary>A database at <paramref name="version"/> of the schema, as an older blog left it, with <paramref name="seed"/> run on it.</summary>
    public static async Task<(StoreUnderTest, Database)> CreateAtSchemaAsync(PostgresServer server, int version, string seed)
    {
        var connectionString = await server.CreateDatabaseAsync();
        await using (var raw = new Npgsql.NpgsqlConnection(connectionString))
        {
            await raw.OpenAsync();
            var scripts = PostgresMigrations.Scripts.Take(version).ToList();
            // PostgreSQL spells a blob literal differently; the seed is written once, in SQLite's X'..' form.
            var pgSeed = System.Text.RegularExpressions.Regex.Replace(seed, "X'([0-9A-Fa-f]*)'", "'\\x$1'::bytea");
            await using var command = new Npgsql.NpgsqlCommand("CREATE TABLE blog_schema (version integer NOT NULL);\n" + string.Join("\n", scripts) +
                $"\nINSERT INTO blog_schema (version) VALUES ({scripts.Count});\n" + pgSeed, raw);
            await command.ExecuteNonQueryAsync();
        }
        var database = new PostgresDatabase(Options.Create(new StorageOptions { Provider = StorageOptions.Postgres, ConnectionString = connectionString }),
            NullLogger<PostgresDatabase>.Instance);
        return (new StoreUnderTest(new SqlSubscriberStore(database), new SqlMailOutbox(database), new SqlDigestLedger(database), database)
            { Publications = new SqlPublicationLog(database), Feedback = new SqlFeedbackStore(database), Database = database }, database);
    }
}

[Collection(SharedPostgres.Name)]
public sealed class PostgresSubscriberStoreTests(PostgresServer server) : SubscriberStoreContract
{
    protected override Task<StoreUnderTest> CreateAsync() => PostgresStores.CreateAsync(server);

    protected override Task<(StoreUnderTest Stores, Database Database)> CreateAtSchemaAsync(int version, string seed) =>
        PostgresStores.CreateAtSchemaAsync(server, version, seed);
}

[Collection(SharedPostgres.Name)]
public sealed class PostgresMailOutboxTests(PostgresServer server) : MailOutboxContract
{
    protected override Task<StoreUnderTest> CreateAsync() => PostgresStores.CreateAsync(server);
}

[Collection(SharedPostgres.Name)]
public sealed class PostgresDigestLedgerTests(PostgresServer server) : DigestLedgerContract
{
    protected override Task<StoreUnderTest> CreateAsync() => PostgresStores.CreateAsync(server);
}

[Collection(SharedPostgres.Name)]
public sealed class PostgresPublicationLogTests(PostgresServer server) : PublicationLogContract
{
    protected override Task<StoreUnderTest> CreateAsync() => PostgresStores.CreateAsync(server);
}

[Collection(SharedPostgres.Name)]
public sealed class PostgresDatabaseTests(PostgresServer server)
{
    [Fact]
    public async Task Nodes_starting_together_migrate_once_and_a_newer_schema_is_refused()
    {
        var connectionString = await server.CreateDatabaseAsync();
        var nodes = Enumerable.Range(0, 4).Select(_ => Open(connectionString)).ToList();
        await Task.WhenAll(nodes.Select(n => Task.Run(() => n.MigrateAsync(CancellationToken.None))));
        await using (var connection = await nodes[0].OpenAsync(CancellationToken.None))
        await using (var versions = connection.CreateCommand())
        {
            versions.CommandText = "SELECT string_agg(version::text, ',') FROM blog_schema";
            Assert.Equal(nodes[0].SchemaVersion.ToString(System.Globalization.CultureInfo.InvariantCulture), await versions.ExecuteScalarAsync());
            versions.CommandText = "UPDATE blog_schema SET version = 99";
            await versions.ExecuteNonQueryAsync();
        }
        nodes.ForEach(n => n.Dispose());

        using var newer = Open(connectionString);
        var e = await Assert.ThrowsAsync<SchemaTooNewException>(() => newer.MigrateAsync(CancellationToken.None));
        Assert.Contains("has schema version 99", e.Message, StringComparison.Ordinal);
        Assert.Contains($"up to {newer.SchemaVersion}", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_server_that_is_not_there_is_unreachable()
    {
        // A port held bound but never listening: the connection is refused, and no other test can take it meanwhile.
        using var socket = LoopbackPort.Closed(out var port);
        using var closed = Open($"Host=127.0.0.1;Port={port};Username=blog;Database=none;Timeout=5");
        var e = await Assert.ThrowsAsync<DatabaseUnreachableException>(() => closed.MigrateAsync(CancellationToken.None));
        Assert.True(Database.IsDriverError(e));
        Assert.Contains("127.0.0.1", e.Message, StringComparison.Ordinal);
    }

    private static PostgresDatabase Open(string connectionString) =>
        new(Options.Create(new StorageOptions { Provider = StorageOptions.Postgres, ConnectionString = connectionString }), NullLogger<PostgresDatabase>.Instance);
}

[Collection(SharedPostgres.Name)]
public sealed class PostgresFeedbackStoreTests(PostgresServer server) : FeedbackStoreContract
{
    protected override Task<StoreUnderTest> CreateAsync() => PostgresStores.CreateAsync(server);

    [Fact]
    public async Task A_subscriber_erased_while_a_report_waits_for_their_row_is_no_subscriber_not_a_foreign_key_error()
    {
        await Store.ImportAsync([TestSubscriptions.Draft("ann@example.com", Blog.MailingList.SubscriberStatus.Active)], DateTimeOffset.UnixEpoch, null, null,
            CancellationToken.None);
        var ann = (await Store.FindAsync(Blog.MailingList.EmailAddress.Parse("ann@example.com"), CancellationToken.None))!;
        await using var eraser = await Database.OpenAsync(CancellationToken.None);
        await using var erasing = await eraser.BeginTransactionAsync();
        await using (var delete = eraser.Command("DELETE FROM subscribers WHERE id = @id", erasing, ("@id", ann.Id)))
            await delete.ExecuteNonQueryAsync();
        var recording = Feedback.RecordAsync(
            new Blog.Feedback.FeedbackEvent("r1", Blog.Feedback.FeedbackKind.HardBounce, "imap", DateTimeOffset.UnixEpoch, new Blog.Feedback.FeedbackTarget(ann.Id), ""),
            new Blog.Feedback.FeedbackRules(2, 3, TimeSpan.FromDays(14)), CancellationToken.None);
        // The report has read the row and waits for its lock (PostgreSQL says so in pg_locks): then the erase commits.
        await using (var watcher = await Database.OpenAsync(CancellationToken.None))
        await using (var waiting = watcher.Command("SELECT COUNT(*) FROM pg_locks WHERE NOT granted"))
            while (Convert.ToInt64(await waiting.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture) == 0 && !recording.IsCompleted)
                await Task.Yield();
        await erasing.CommitAsync();
        Assert.Equal(Blog.Feedback.FeedbackOutcome.NoSubscriber, (await recording).Outcome);
    }
}

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
            { Publications = new SqlPublicationLog(database) };
    }
}

[Collection(SharedPostgres.Name)]
public sealed class PostgresSubscriberStoreTests(PostgresServer server) : SubscriberStoreContract
{
    protected override Task<StoreUnderTest> CreateAsync() => PostgresStores.CreateAsync(server);
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
        var e = await Assert.ThrowsAsync<StorageException>(() => newer.MigrateAsync(CancellationToken.None));
        Assert.Contains("has schema version 99", e.Message, StringComparison.Ordinal);
        Assert.Contains($"up to {newer.SchemaVersion}", e.Message, StringComparison.Ordinal);
    }

    private static PostgresDatabase Open(string connectionString) =>
        new(Options.Create(new StorageOptions { Provider = StorageOptions.Postgres, ConnectionString = connectionString }), NullLogger<PostgresDatabase>.Instance);
}

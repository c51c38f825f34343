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
        return new StoreUnderTest(new SqlSubscriberStore(database), new SqlMailOutbox(database), new SqlDigestLedger(database), database);
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

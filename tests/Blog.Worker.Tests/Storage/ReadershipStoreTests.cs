using Blog.Storage;

namespace Blog.Tests.Storage;

public sealed class SqliteReadershipStoreTests : ReadershipStoreContract
{
    protected override Task<StoreUnderTest> CreateAsync() => SqliteStores.CreateAsync();
}

[Collection(SharedPostgres.Name)]
public sealed class PostgresReadershipStoreTests(PostgresServer server) : ReadershipStoreContract
{
    protected override Task<StoreUnderTest> CreateAsync() => PostgresStores.CreateAsync(server);
}

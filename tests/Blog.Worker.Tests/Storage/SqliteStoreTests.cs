using Blog.Storage;

namespace Blog.Tests.Storage;

/// <summary>The contract suites on a real SQLite file.</summary>
internal static class SqliteStores
{
    public static Task<StoreUnderTest> CreateAsync()
    {
        var folder = new TempFolder();
        var database = TestSubscriptions.Database(folder.Path);
        return Task.FromResult(new StoreUnderTest(new SqlSubscriberStore(database), new SqlMailOutbox(database), new SqlDigestLedger(database), new Cleanup(database, folder))
            { Publications = new SqlPublicationLog(database) });
    }

    private sealed class Cleanup(SqliteDatabase database, TempFolder folder) : IDisposable
    {
        public void Dispose()
        {
            database.Dispose();
            folder.Dispose();
        }
    }
}

public sealed class SqliteSubscriberStoreTests : SubscriberStoreContract
{
    protected override Task<StoreUnderTest> CreateAsync() => SqliteStores.CreateAsync();
}

public sealed class SqliteMailOutboxTests : MailOutboxContract
{
    protected override Task<StoreUnderTest> CreateAsync() => SqliteStores.CreateAsync();
}

public sealed class SqliteDigestLedgerTests : DigestLedgerContract
{
    protected override Task<StoreUnderTest> CreateAsync() => SqliteStores.CreateAsync();
}

public sealed class SqlitePublicationLogTests : PublicationLogContract
{
    protected override Task<StoreUnderTest> CreateAsync() => SqliteStores.CreateAsync();
}

using Blog.Storage;
using Microsoft.Data.Sqlite;

namespace Blog.Tests.Storage;

/// <summary>The contract suites on a real SQLite file.</summary>
internal static class SqliteStores
{
    public static Task<StoreUnderTest> CreateAsync()
    {
        var folder = new TempFolder();
        var database = TestSubscriptions.Database(folder.Path);
        return Task.FromResult(new StoreUnderTest(new SqlSubscriberStore(database), new SqlMailOutbox(database), new SqlDigestLedger(database), new Cleanup(database, folder))
            { Publications = new SqlPublicationLog(database), Feedback = new SqlFeedbackStore(database), Database = database });
    }

    /// <summary>A SQLite file at <paramref name="version"/> of the schema, as an older blog left it, with <paramref name="seed"/> run on it.</summary>
    public static async Task<(StoreUnderTest, Database)> CreateAtSchemaAsync(int version, string seed)
    {
        var folder = new TempFolder();
        Directory.CreateDirectory(folder.Path);
        await using (var raw = new SqliteConnection($"Data Source={folder.Combine("blog.db")};Pooling=False"))
        {
            await raw.OpenAsync();
            var scripts = SqliteMigrations.Scripts.Take(version).ToList();
            await using var command = raw.CreateCommand();
            command.CommandText = string.Join("\n", scripts) + $"\nPRAGMA user_version = {scripts.Count};\n" + seed;
            await command.ExecuteNonQueryAsync();
        }
        var database = TestSubscriptions.Database(folder.Path);
        return (new StoreUnderTest(new SqlSubscriberStore(database), new SqlMailOutbox(database), new SqlDigestLedger(database), new Cleanup(database, folder))
            { Publications = new SqlPublicationLog(database), Feedback = new SqlFeedbackStore(database), Database = database }, database);
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

    protected override Task<(StoreUnderTest Stores, Database Database)> CreateAtSchemaAsync(int version, string seed) => SqliteStores.CreateAtSchemaAsync(version, seed);
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

public sealed class SqliteFeedbackStoreTests : FeedbackStoreContract
{
    protected override Task<StoreUnderTest> CreateAsync() => SqliteStores.CreateAsync();
}

using Blog.Storage;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Blog.Tests.Storage;

public sealed class SqliteAdminAccountsTests : AdminAccountsContract
{
    protected override Task<(SqlAdminStore Store, Database Database, IDisposable Cleanup)> CreateAsync()
    {
        var folder = new TempFolder();
        var database = TestSubscriptions.Database(folder.Path);
        return Task.FromResult<(SqlAdminStore, Database, IDisposable)>((new SqlAdminStore(database), database, new Cleanup(database, folder)));
    }

    private sealed class Cleanup(Database database, TempFolder folder) : IDisposable
    {
        public void Dispose()
        {
            database.Dispose();
            folder.Dispose();
        }
    }
}

[Collection(SharedPostgres.Name)]
public sealed class PostgresAdminAccountsTests(PostgresServer server) : AdminAccountsContract
{
    protected override async Task<(SqlAdminStore Store, Database Database, IDisposable Cleanup)> CreateAsync()
    {
        var database = new PostgresDatabase(Options.Create(new StorageOptions { Provider = StorageOptions.Postgres, ConnectionString = await server.CreateDatabaseAsync() }),
            NullLogger<PostgresDatabase>.Instance);
        return (new SqlAdminStore(database), database, database);
    }
}

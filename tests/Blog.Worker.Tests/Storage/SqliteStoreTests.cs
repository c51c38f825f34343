using Blog.Mail;
using Blog.Storage;
using Blog.Subscribers;

namespace Blog.Tests.Storage;

/// <summary>The store contract on a real SQLite file.</summary>
public sealed class SqliteSubscriberStoreTests : SubscriberStoreContract
{
    private readonly TempFolder folder = new();
    private SqliteDatabase? database;

    protected override Task<(ISubscriberStore Store, IMailOutbox Outbox)> CreateAsync()
    {
        database = TestSubscriptions.Database(folder.Path);
        return Task.FromResult<(ISubscriberStore, IMailOutbox)>((new SqliteSubscriberStore(database), new SqliteMailOutbox(database)));
    }

    public override Task DisposeAsync()
    {
        database?.Dispose();
        folder.Dispose();
        return Task.CompletedTask;
    }
}

/// <summary>The outbox contract on a real SQLite file.</summary>
public sealed class SqliteMailOutboxTests : MailOutboxContract
{
    private readonly TempFolder folder = new();
    private SqliteDatabase? database;

    protected override Task<(ISubscriberStore Store, IMailOutbox Outbox)> CreateAsync()
    {
        database = TestSubscriptions.Database(folder.Path);
        return Task.FromResult<(ISubscriberStore, IMailOutbox)>((new SqliteSubscriberStore(database), new SqliteMailOutbox(database)));
    }

    public override Task DisposeAsync()
    {
        database?.Dispose();
        folder.Dispose();
        return Task.CompletedTask;
    }
}

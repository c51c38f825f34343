using Blog.Mail;
using Blog.MailingList;

namespace Blog.Tests.Storage;

/// <summary>
/// The base of the store contract suites: each test gets an empty store from <see cref="CreateAsync"/>. A database's
/// test classes derive from the suites and say only how to make one.
/// </summary>
public abstract class StoreContract : IAsyncLifetime
{
    protected static readonly DateTimeOffset Now = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
    private StoreUnderTest? underTest;

    protected ISubscriberStore Store => underTest!.Store;
    protected IMailOutbox Outbox => underTest!.Outbox;
    protected Blog.Digests.IDigestLedger Ledger => underTest!.Ledger;
    protected Blog.Digests.IPublicationLog Publications => underTest!.Publications;
    protected Blog.Feedback.IFeedbackStore Feedback => underTest!.Feedback;
    protected Blog.Storage.Database Database => underTest!.Database;

    protected abstract Task<StoreUnderTest> CreateAsync();

    public async Task InitializeAsync() => underTest = await CreateAsync();

    public Task DisposeAsync()
    {
        underTest?.Cleanup.Dispose();
        return Task.CompletedTask;
    }
}

using Blog.Digests;
using Blog.Mail;
using Blog.MailingList;

namespace Blog.Tests.Storage;

/// <summary>An empty store, outbox, send ledger and publication log for one contract test, and what to clean up after it.</summary>
public sealed record StoreUnderTest(ISubscriberStore Store, IMailOutbox Outbox, IDigestLedger Ledger, IDisposable Cleanup)
{
    public required IPublicationLog Publications { get; init; }
}

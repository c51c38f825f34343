using Blog.Digests;
using Blog.Feedback;
using Blog.Mail;
using Blog.MailingList;
using Blog.Storage;

namespace Blog.Tests.Storage;

/// <summary>An empty store, outbox, send ledger and publication log for one contract test, and what to clean up after it.</summary>
public sealed record StoreUnderTest(ISubscriberStore Store, IMailOutbox Outbox, IDigestLedger Ledger, IDisposable Cleanup)
{
    public required IPublicationLog Publications { get; init; }

    public required IFeedbackStore Feedback { get; init; }

    /// <summary>The database under the stores, for a test to set up what no store call can (a merged id).</summary>
    public required Database Database { get; init; }
}

namespace Blog.Mail;

/// <summary>
/// Mail that must not be lost waits here until a transport has taken it. Shaped for <see cref="OutboxSender"/>:
/// claim a batch under a lease, then settle each item. Mail to a subscriber is queued by the subscriber store, in the
/// same transaction as the change that caused it.
/// </summary>
public interface IMailOutbox
{
    /// <summary>Claims up to <paramref name="max"/> due items that nobody holds, until <paramref name="now"/> + <paramref name="lease"/>.</summary>
    Task<IReadOnlyList<OutboxItem>> ClaimAsync(DateTimeOffset now, TimeSpan lease, int max, CancellationToken cancellationToken);

    // Each settle below changes the item only while the claim still holds it (its OutboxItem.LeaseUntil): a sender
    // whose lease ran out must not clear the lease of whoever claimed the item since, or a third sender sends it again.

    /// <summary>The transport took it: the item leaves the outbox.</summary>
    Task CompleteAsync(OutboxItem claim, CancellationToken cancellationToken);

    /// <summary>A transient failure: try again at <paramref name="at"/>.</summary>
    Task RetryAsync(OutboxItem claim, DateTimeOffset at, string reason, CancellationToken cancellationToken);

    /// <summary>Hands claimed items back untried, for another round.</summary>
    Task ReleaseAsync(IEnumerable<OutboxItem> claims, CancellationToken cancellationToken);

    /// <summary>A permanent failure, or too many transient ones: kept with its error, never tried again.</summary>
    Task FailAsync(OutboxItem claim, string reason, CancellationToken cancellationToken);

    Task<OutboxCounts> CountAsync(CancellationToken cancellationToken);
}

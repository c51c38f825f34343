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

    /// <summary>The transport took it: the item leaves the outbox.</summary>
    Task CompleteAsync(long id, CancellationToken cancellationToken);

    /// <summary>A transient failure: try again at <paramref name="at"/>.</summary>
    Task RetryAsync(long id, DateTimeOffset at, string reason, CancellationToken cancellationToken);

    /// <summary>Hands claimed items back untried, for another round.</summary>
    Task ReleaseAsync(IEnumerable<long> ids, CancellationToken cancellationToken);

    /// <summary>A permanent failure, or too many transient ones: kept with its error, never tried again.</summary>
    Task FailAsync(long id, string reason, CancellationToken cancellationToken);

    Task<OutboxCounts> CountAsync(CancellationToken cancellationToken);
}

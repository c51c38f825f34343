namespace Blog.MailingList;

/// <summary>
/// The list's size day by day, for the console's charts: one row a day, written by the running service, so a chart of
/// a year reads 365 rows, never the million subscribers. Days are UTC days.
/// </summary>
public interface ISubscriberHistory
{
    /// <summary>
    /// Writes <paramref name="day"/>'s row from the list as it is now: the counts by status, and the sign-ups and
    /// unsubscribes timed within that day. Written again on each call (the last one wins, from whichever node).
    /// </summary>
    Task SnapshotAsync(DateOnly day, CancellationToken cancellationToken);

    /// <summary>
    /// Fills in the days before <paramref name="today"/>, back to the first sign-up but at most
    /// <paramref name="maxDays"/>, that have no row yet, reconstructed from the subscribers' own timestamps and their
    /// events. Days with a row are left alone. Returns how many days were written.
    /// </summary>
    Task<int> ReconstructAsync(DateOnly today, int maxDays, CancellationToken cancellationToken);

    /// <summary>The rows from <paramref name="first"/> to <paramref name="last"/>, both included, in day order; days without a row are left out.</summary>
    Task<IReadOnlyList<SubscriberDay>> DaysAsync(DateOnly first, DateOnly last, CancellationToken cancellationToken);
}

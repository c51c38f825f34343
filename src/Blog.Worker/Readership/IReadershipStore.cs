namespace Blog.Readership;

/// <summary>
/// Feed readership per day, shared by every node: what aggregators report, the direct readers' daily marks (salted
/// hashes, never an address) and, once a day is over, only their count.
/// </summary>
public interface IReadershipStore
{
    /// <summary>
    /// The salt of <paramref name="day"/>, made by whichever node asks first; the same on every node, so a reader who
    /// reaches two of them is marked once. Discarded by <see cref="FoldAsync"/> with the day's marks.
    /// </summary>
    Task<byte[]> SaltAsync(DateOnly day, CancellationToken cancellationToken);

    /// <summary>
    /// Writes a batch in one transaction: each aggregator's count replaces an older one of its day and feed; a mark
    /// already there is ignored. Beyond <paramref name="limits"/> for a feed and day, new aggregators and marks are
    /// dropped (the day's readers then read as "at least").
    /// </summary>
    Task RecordAsync(ReadershipBatch batch, ReadershipLimits limits, CancellationToken cancellationToken);

    /// <summary>
    /// For every day before <paramref name="before"/>: adds the count of its marks to its readers, then deletes the
    /// marks and the day's salt, so nothing links a reader across days.
    /// </summary>
    Task FoldAsync(DateOnly before, CancellationToken cancellationToken);

    /// <summary>Every day from <paramref name="first"/> to <paramref name="last"/> (both included) that has anything, per feed.</summary>
    Task<ReadershipReport> ReportAsync(DateOnly first, DateOnly last, ReadershipLimits limits, CancellationToken cancellationToken);
}

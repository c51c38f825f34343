namespace Blog.MailingList;

/// <summary>
/// What the owner looks for: every condition given must hold. <see cref="Fragment"/> is a case-insensitive piece of the
/// address (taken literally: <c>%</c> and <c>_</c> are no wildcards), <see cref="Tag"/> a tag key the subscriber chose.
/// <see cref="After"/> pages forward (ids above it), <see cref="Before"/> back (ids below it); neither is the first page.
/// </summary>
public sealed record SubscriberSearch(
    string? Fragment = null,
    SubscriberStatus? Status = null,
    string? Cadence = null,
    string? Tag = null,
    long? After = null,
    long? Before = null)
{
    /// <summary>Subscribers a page shows.</summary>
    public const int PageSize = 50;

    /// <summary>The longest fragment, tag or cadence taken: longer than any address, and it bounds the work of a match.</summary>
    public const int MaxTermLength = 254;

    /// <summary>
    /// Rows a page examines at most for a fragment or tag, which no index answers: at 1,000,000 subscribers a rare
    /// fragment would otherwise read the whole table for one page. About 10 ms of scanning in SQLite on a small machine.
    /// </summary>
    public const int ScanLimit = 20_000;
}

namespace Blog.Admin.Overview;

/// <summary>
/// Feed readers per day, for the overview's chart. The readership feature registers it; while none is registered the
/// chart is empty.
/// </summary>
internal interface IFeedReadersPerDay
{
    /// <summary>The days from <paramref name="first"/> to <paramref name="last"/>, both included, that have readers, in day order.</summary>
    Task<IReadOnlyList<FeedReadersDay>> DaysAsync(DateOnly first, DateOnly last, CancellationToken cancellationToken);
}

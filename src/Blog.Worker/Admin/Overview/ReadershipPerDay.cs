using Blog.Readership;

namespace Blog.Admin.Overview;

/// <summary>
/// The overview's readers chart, from the readership store: every feed together, per day. Empty while no readership
/// store is registered (a build without the readership feature).
/// </summary>
internal sealed class ReadershipPerDay(IServiceProvider services) : IFeedReadersPerDay
{
    // Only the report's "at least" flag depends on the caps, and the chart does not show it.
    private static readonly ReadershipLimits NoCaps = new(int.MaxValue, int.MaxValue);

    public async Task<IReadOnlyList<FeedReadersDay>> DaysAsync(DateOnly first, DateOnly last, CancellationToken cancellationToken)
    {
        if (services.GetService<IReadershipStore>() is not { } store) return [];
        var report = await store.ReportAsync(first, last, services.GetService<ReadershipLimits>() ?? NoCaps, cancellationToken);
        return [.. report.Totals().Select(d => new FeedReadersDay(d.Day, d.DirectReaders, d.AggregatorSubscribers))];
    }
}

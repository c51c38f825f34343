namespace Blog.Readership;

/// <summary>Readership per feed and day, and each aggregator's part of it.</summary>
public sealed record ReadershipReport(IReadOnlyList<FeedDay> Days, IReadOnlyList<AggregatorDay> Aggregators)
{
    /// <summary>Every feed together, per day (days with nothing left out), oldest first.</summary>
    public IReadOnlyList<FeedDay> Totals() =>
    [
        .. Days.GroupBy(d => d.Day).OrderBy(g => g.Key).Select(g => new FeedDay(g.Key, "",
            g.Sum(d => d.AggregatorSubscribers), g.Sum(d => d.DirectReaders), g.Any(d => d.AtLeast))),
    ];
}

/// <summary>
/// One feed on one day: the sum of the latest count each aggregator reported, and the distinct direct readers;
/// <see cref="AtLeast"/> when the readers reached the day's cap, so there were at least that many.
/// </summary>
public sealed record FeedDay(DateOnly Day, string Feed, long AggregatorSubscribers, long DirectReaders, bool AtLeast);

/// <summary>The latest count an aggregator reported for a feed on a day.</summary>
public sealed record AggregatorDay(DateOnly Day, string Feed, string Aggregator, long Subscribers);

namespace Blog.Readership;

/// <summary>What a node saw since its last flush: aggregators' reported counts and direct readers' marks.</summary>
public sealed record ReadershipBatch(IReadOnlyList<AggregatorSighting> Aggregators, IReadOnlyList<ReaderMark> Marks);

/// <summary>An aggregator's reported subscriber count for a feed (its path below the site), at a time.</summary>
public sealed record AggregatorSighting(DateOnly Day, string Feed, string Aggregator, long Subscribers, DateTimeOffset SeenAt);

/// <summary>A direct reader of a feed on a day, as the day's salted hash.</summary>
public sealed record ReaderMark(DateOnly Day, string Feed, string Reader);

namespace Blog.Admin.Overview;

/// <summary>One day's readers of all the feeds together: direct readers counted, and the subscribers aggregators report.</summary>
internal sealed record FeedReadersDay(DateOnly Day, long Direct, long Aggregated);

namespace Blog.Readership;

/// <summary>How much one feed may keep a day, whatever requests claim: hostile User-Agents cost bounded rows.</summary>
public sealed record ReadershipLimits(int AggregatorsPerFeedDay, int ReadersPerFeedDay);

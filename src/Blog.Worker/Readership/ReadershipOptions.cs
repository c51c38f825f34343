namespace Blog.Readership;

/// <summary>How feed readership is counted. Bound from the <c>Readership</c> section.</summary>
public sealed class ReadershipOptions
{
    public const string Section = "Readership";

    /// <summary>Whether feed requests are counted at all.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>How often a node writes what it saw, in one transaction.</summary>
    public TimeSpan FlushInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Feed requests held between flushes; beyond it they are dropped (and counted), never waited for.</summary>
    public int BufferSize { get; set; } = 10_000;

    /// <summary>Distinct aggregators kept per feed and day; more are ignored (a User-Agent can claim any name).</summary>
    public int MaxAggregatorsPerFeedDay { get; set; } = 50;

    /// <summary>Direct readers marked per feed and day; beyond it the day shows "at least" this many.</summary>
    public int MaxReadersPerFeedDay { get; set; } = 100_000;

    public ReadershipLimits Limits() => new(MaxAggregatorsPerFeedDay, MaxReadersPerFeedDay);
}

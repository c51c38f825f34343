namespace Blog.Feeds;

/// <summary>What feeds hold and where they are written. Bound from the <c>Feeds</c> section; <c>--out DIR</c> sets <see cref="OutputPath"/>.</summary>
public sealed class FeedsOptions
{
    public const string Section = "Feeds";

    /// <summary>The folder the feed tree is written to. Relative paths resolve against the working directory.</summary>
    public string OutputPath { get; set; } = "public";

    /// <summary>How many of the newest posts each feed carries, with full content.</summary>
    public int ItemsPerFeed { get; set; } = 20;

    /// <summary>Posts per RFC 5005 archive page of the main Atom feed; 0 turns archives off.</summary>
    public int ArchivePageSize { get; set; } = 50;

    /// <summary>Whether RSS and Atom documents point browsers at <c>feed.xsl</c>, which shows them as a page.</summary>
    public bool Stylesheet { get; set; } = true;

    /// <summary>WebSub hubs: advertised in every feed and pinged when a feed changes.</summary>
    public List<string> Hubs { get; set; } = [];

    /// <summary>How many times a hub ping is tried before it is logged as failed.</summary>
    public int HubAttempts { get; set; } = 6;

    /// <summary>The wait before the first retry of a hub ping; each retry doubles it.</summary>
    public TimeSpan HubRetryDelay { get; set; } = TimeSpan.FromSeconds(1);
}

namespace Blog.Digests;

/// <summary>The <c>Digests</c> section: the cadences a subscriber chooses from, and how digests are planned.</summary>
public sealed class DigestsOptions
{
    public const string Section = "Digests";

    public static readonly IReadOnlyDictionary<string, string> DefaultCadences = new Dictionary<string, string>
    {
        ["daily"] = "0 0 8 * * ?",
        ["weekly"] = "0 0 8 ? * MON",
    };

    /// <summary>By name. Empty in settings means <see cref="DefaultCadences"/>.</summary>
    public Dictionary<string, CadenceOptions> Cadences { get; set; } = new(StringComparer.Ordinal);

    public string TimeZone { get; set; } = "UTC";

    /// <summary>How long a post must have been public before it is mailed. A post pulled back within it is never mailed.</summary>
    public TimeSpan CoolOff { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>
    /// How long a claimed delivery is held by its sender. A sender that dies (kill -9, a node lost) holds its claims
    /// this long; then any other sender, on this node or another, takes them over.
    /// </summary>
    public TimeSpan Lease { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// The most posts one digest lists. A subscriber with more new posts (back from a long pause, or a blog that
    /// imported its archive) gets the newest this many and a link to the rest; their watermark moves past them all.
    /// </summary>
    public int MaxPosts { get; set; } = 50;

    public ImmutableArray<string> CadenceNames => [.. Cadences.Keys.Order(StringComparer.Ordinal)];
}

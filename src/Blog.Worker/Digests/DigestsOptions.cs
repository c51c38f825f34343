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

    public ImmutableArray<string> CadenceNames => [.. Cadences.Keys.Order(StringComparer.Ordinal)];
}

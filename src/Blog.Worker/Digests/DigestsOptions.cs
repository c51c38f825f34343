namespace Blog.Digests;

/// <summary>The <c>Digests</c> section. So far its cadences name what a subscriber may choose.</summary>
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

    public ImmutableArray<string> CadenceNames => [.. Cadences.Keys.Order(StringComparer.Ordinal)];
}

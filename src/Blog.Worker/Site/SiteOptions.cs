namespace Blog.Site;

/// <summary>What the blog is and where it lives publicly. Bound from the <c>Site</c> section.</summary>
public sealed class SiteOptions
{
    public const string Section = "Site";

    /// <summary>What appsettings.json ships with: a blog that still has it has not said where it lives.</summary>
    public const string DefaultUrl = "https://blog.example.com/";

    /// <summary>The public base URL; links, entry ids and feed URLs are built from it.</summary>
    public string Url { get; set; } = "";
    public string Title { get; set; } = "Blog";
    public string Description { get; set; } = "";
    public string Language { get; set; } = "en";
    public string AuthorName { get; set; } = "";
    public string AuthorEmail { get; set; } = "";

    /// <summary>IANA zone that dates without an offset are read in.</summary>
    public string TimeZone { get; set; } = "UTC";

    /// <summary>Where a post lives below <see cref="Url"/>; <c>{slug}</c> is replaced.</summary>
    public string PostPath { get; set; } = "posts/{slug}/";

    /// <summary>Whether <see cref="Url"/> is still <see cref="DefaultUrl"/>, which reaches nobody's blog.</summary>
    public bool HasDefaultUrl() => string.Equals(Url.TrimEnd('/'), DefaultUrl.TrimEnd('/'), StringComparison.OrdinalIgnoreCase);

    public Uri BaseUri => new(Url.EndsWith('/') ? Url : Url + "/", UriKind.Absolute);

    // Methods, not properties: the configuration binder would try to bind a property.
    public TimeZoneInfo FindZone() => TimeZoneInfo.FindSystemTimeZoneById(TimeZone);

    public Uri PostUri(string slug) => new(BaseUri, PostPath.Replace("{slug}", slug, StringComparison.Ordinal));
}

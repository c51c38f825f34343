namespace Blog.Serving;

/// <summary>The HTTP endpoint of <c>blog run</c>. Bound from the <c>Http</c> section; <c>--urls URL</c> sets <see cref="Urls"/>.</summary>
public sealed class HttpOptions
{
    public const string Section = "Http";

    /// <summary>Where Kestrel listens; several URLs are separated by ';'.</summary>
    public string Urls { get; set; } = "http://127.0.0.1:5080";

    /// <summary>The <c>Cache-Control: max-age</c> sent with every document.</summary>
    public TimeSpan MaxAge { get; set; } = TimeSpan.FromMinutes(5);
}

namespace Blog.Serving;

/// <summary>The HTTP endpoint of <c>blog run</c>. Bound from the <c>Http</c> section; <c>--urls URL</c> sets <see cref="Urls"/>.</summary>
public sealed class HttpOptions
{
    public const string Section = "Http";

    /// <summary>Where Kestrel listens; several URLs are separated by ';'.</summary>
    public string Urls { get; set; } = "http://127.0.0.1:5080";

    /// <summary>The <c>Cache-Control: max-age</c> sent with every document.</summary>
    public TimeSpan MaxAge { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// The proxies (IP addresses) whose X-Forwarded-For is believed, to find the client a sign-up is limited by. With
    /// neither this nor <see cref="KnownNetworks"/> set, only loopback is trusted; naming any replaces that default.
    /// </summary>
    public List<string> KnownProxies { get; set; } = [];

    /// <summary>Networks (CIDR, such as 10.0.0.0/8) of trusted proxies; see <see cref="KnownProxies"/>.</summary>
    public List<string> KnownNetworks { get; set; } = [];
}

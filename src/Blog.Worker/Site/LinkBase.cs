namespace Blog.Site;

/// <summary>
/// Where the links in mail (confirm, unsubscribe, preferences) point: <c>Site:Url</c>, except while it is left at
/// <see cref="SiteOptions.DefaultUrl"/>, when they point at the service's own public address once it listens, so a
/// confirmation mailed on a fresh clone can be followed. Feeds keep <c>Site:Url</c> whatever it is: their ids and
/// links must not move with the port the service happens to get.
/// </summary>
public sealed class LinkBase(IOptions<SiteOptions> site)
{
    private volatile Uri? own;

    public Uri Uri => site.Value.HasDefaultUrl() && own is { } address ? address : site.Value.BaseUri;

    /// <summary>The first public address the service listens on, told once it is bound.</summary>
    public void Listening(Uri address) => own ??= address;
}

namespace Blog.Serving;

/// <summary>The current <see cref="PublishedSite"/>; requests read it without locks, the publisher swaps it whole.</summary>
public sealed class SiteHolder
{
    private PublishedSite current = PublishedSite.Empty;

    public PublishedSite Current => Volatile.Read(ref current);

    public void Publish(PublishedSite site) => Volatile.Write(ref current, site);
}

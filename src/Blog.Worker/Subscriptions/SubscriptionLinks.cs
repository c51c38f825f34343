using Blog.Site;

namespace Blog.Subscriptions;

/// <summary>The absolute links mail carries, below <c>Site:Url</c>. Pages link relatively, so they work behind any prefix.</summary>
public sealed class SubscriptionLinks(SubscriberTokens tokens, IOptions<SiteOptions> site)
{
    public Uri Site => site.Value.BaseUri;

    public Uri Subscribe => new(Site, "subscribe");

    public Uri Confirm(long subscriberId, DateTimeOffset expires) => Link("confirm", tokens.Confirm(subscriberId, expires));

    public Uri Unsubscribe(long subscriberId) => Link("unsubscribe", tokens.Unsubscribe(subscriberId));

    public Uri Preferences(long subscriberId) => Link("preferences", tokens.Preferences(subscriberId));

    private Uri Link(string page, string token) => new(Site, $"{page}?token={Uri.EscapeDataString(token)}");
}

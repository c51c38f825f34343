using Blog.Site;

namespace Blog.Subscriptions;

/// <summary>The absolute links mail carries, below <c>Site:Url</c>; pages link relatively, so they work behind any prefix.</summary>
public sealed class SubscriptionLinks(SubscriberTokens tokens, IOptions<SiteOptions> site)
{
    public Uri Site => site.Value.BaseUri;

    public Uri Subscribe => new(Site, "subscribe");

    public Uri Confirm(long subscriberId, DateTimeOffset expires) => Link("confirm", tokens.Confirm(subscriberId, expires));

    public Uri Unsubscribe(long subscriberId) => Link("unsubscribe", tokens.Unsubscribe(subscriberId));

    public Uri Preferences(long subscriberId) => Link("preferences", tokens.Preferences(subscriberId));

    /// <summary>The same pages relative to another page of the service, for links on the pages themselves.</summary>
    public string UnsubscribePage(long subscriberId) => Relative("unsubscribe", tokens.Unsubscribe(subscriberId));

    public string PreferencesPage(long subscriberId) => Relative("preferences", tokens.Preferences(subscriberId));

    private Uri Link(string page, string token) => new(Site, Relative(page, token));

    private static string Relative(string page, string token) => $"{page}?token={Uri.EscapeDataString(token)}";
}

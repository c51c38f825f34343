using Blog.Site;
using Blog.MailingList;

namespace Blog.Subscriptions;

/// <summary>
/// The absolute links mail carries, below <c>Site:Url</c>; pages link relatively, so they work behind any prefix.
/// Made from the subscriber, not an id, so each carries the subscriber's link key.
/// </summary>
public sealed class SubscriptionLinks(SubscriberTokens tokens, LinkBase site)
{
    public Uri Site => site.Uri;

    public Uri Subscribe => new(Site, "subscribe");

    public Uri Confirm(Subscriber subscriber, DateTimeOffset expires) => Link("confirm", tokens.Confirm(subscriber, expires));

    public Uri Unsubscribe(Subscriber subscriber) => Link("unsubscribe", tokens.Unsubscribe(subscriber));

    public Uri Preferences(Subscriber subscriber) => Link("preferences", tokens.Preferences(subscriber));

    /// <summary>The same pages relative to another page of the service, for links on the pages themselves.</summary>
    public string UnsubscribePage(Subscriber subscriber) => Relative("unsubscribe", tokens.Unsubscribe(subscriber));

    public string PreferencesPage(Subscriber subscriber) => Relative("preferences", tokens.Preferences(subscriber));

    private Uri Link(string page, string token) => new(Site, Relative(page, token));

    private static string Relative(string page, string token) => $"{page}?token={Uri.EscapeDataString(token)}";
}

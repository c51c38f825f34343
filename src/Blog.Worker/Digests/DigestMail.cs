using System.Globalization;
using Blog.Mail;
using Blog.Posts;
using Blog.Site;
using Blog.MailingList;
using Blog.Subscriptions;
using Blog.Templates;
using MimeKit;

namespace Blog.Digests;

/// <summary>
/// Renders one subscriber's digest from <c>digest.html.sbn</c> and <c>digest.txt.sbn</c>. No tracking pixel, no
/// rewritten links. The templates run once per distinct set of posts; the subscriber's address and links are filled
/// in afterwards, so a template may print <c>email</c>, <c>unsubscribe_url</c> and <c>preferences_url</c> but not
/// decide anything on them.
/// </summary>
public sealed class DigestMail(MailTemplates templates, MailComposer composer, MessageIdMint ids, SubscriptionLinks links, IOptions<SiteOptions> site)
{
    public static readonly ImmutableArray<string> TemplateNames = ["digest.txt", "digest.html", "layout.html"];

    /// <summary>
    /// The same for every attempt at one delivery, so a receiver sees a resend after a crash as the message it has.
    /// Made once, at planning, and stored with the delivery: the sender uses the stored one.
    /// </summary>
    public string MessageId(string runKey, long subscriberId) => ids.For("digest", runKey, subscriberId.ToString(CultureInfo.InvariantCulture));

    /// <param name="more">New posts left out for the mail's size (<see cref="DigestsOptions.MaxPosts"/>): the mail links to them.</param>
    /// <exception cref="TemplateException">The templates failed on these posts; the mail cannot be made.</exception>
    public MimeMessage Compose(Subscriber subscriber, IReadOnlyList<Post> posts, string messageId, int more = 0)
    {
        // Rendered once per set of posts (most subscribers share one), with markers where the subscriber goes.
        var key = string.Join('\n', posts.Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.Id} {p.Updated.UtcTicks}"))) + "\n+" + more.ToString(CultureInfo.InvariantCulture);
        if (rendered.Count > MaxRendered) rendered.Clear();
        var (subject, text, html) = rendered.GetOrAdd(key, _ => Render(posts, more));
        var unsubscribe = links.Unsubscribe(subscriber);
        var preferences = links.Preferences(subscriber).AbsoluteUri;
        string[] plain = [subscriber.Address, unsubscribe.AbsoluteUri, preferences];
        string[] escaped = [TemplateModel.Html(plain[0]), TemplateModel.Html(plain[1]), TemplateModel.Html(plain[2])];
        return composer.Compose(new MailDraft(EmailAddress.Parse(subscriber.Address), subject, text.Fill(plain), html.Fill(escaped), messageId, "digest", unsubscribe,
            subscriber.Id));
    }

    // Plain letters and digits: they pass HTML escaping unchanged and appear in no real text. In this order in Fill's values.
    private static readonly string[] Markers = ["zqdgemailzq", "zqdgunsubscribezq", "zqdgpreferenceszq"];
    private const int MaxRendered = 10_000;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, (string Subject, MarkedText Text, MarkedText Html)> rendered = new(StringComparer.Ordinal);

    private (string Subject, MarkedText Text, MarkedText Html) Render(IReadOnlyList<Post> posts, int more)
    {
        var options = site.Value;
        var total = posts.Count + more;
        var subject = total == 1 ? $"{options.Title}: {posts[0].Title}" : $"{options.Title}: {total} new posts";
        var model = new TemplateModel
        {
            ["title"] = subject,
            ["heading"] = total == 1 ? "A new post" : $"{total} new posts",
            ["more"] = more,
            ["more_url"] = links.Site,
            ["site_title"] = options.Title,
            ["site_url"] = links.Site,
            ["email"] = Markers[0],
            ["unsubscribe_url"] = Markers[1],
            ["preferences_url"] = Markers[2],
            ["posts"] = posts.Select(p => new TemplateModel
            {
                ["title"] = Feeds.XmlText.Clean(p.Title),
                ["url"] = options.PostUri(p.Slug),
                ["date"] = p.Published.ToString("d MMMM yyyy", CultureInfo.InvariantCulture),
                ["summary"] = Feeds.XmlText.Clean(p.Summary ?? ""),
            }).ToList(),
        };
        var (text, html) = templates.Render("digest", model);
        return (subject, new MarkedText(text, Markers), new MarkedText(html, Markers));
    }
}

using System.Globalization;
using Blog.Mail;
using Blog.Posts;
using Blog.Site;
using Blog.Subscribers;
using Blog.Subscriptions;
using Blog.Templates;
using MimeKit;

namespace Blog.Digests;

/// <summary>Renders one subscriber's digest from <c>digest.html.sbn</c> and <c>digest.txt.sbn</c>. No tracking pixel, no rewritten links.</summary>
public sealed class DigestMail(MailTemplates templates, MailComposer composer, SubscriptionLinks links, IOptions<SiteOptions> site)
{
    public static readonly ImmutableArray<string> TemplateNames = ["digest.txt", "digest.html", "layout.html"];

    /// <summary>
    /// The same for every attempt at one delivery, so a receiver sees a resend after a crash as the message it has.
    /// </summary>
    public string MessageId(string runKey, long subscriberId) => string.Create(CultureInfo.InvariantCulture,
        $"digest.{string.Concat(runKey.Select(c => char.IsAsciiLetterOrDigit(c) || c == '-' ? c : '.'))}.{subscriberId}@{composer.Domain}");

    public MimeMessage Compose(Subscriber subscriber, IReadOnlyList<Post> posts, string messageId)
    {
        var options = site.Value;
        var subject = posts.Count == 1 ? $"{options.Title}: {posts[0].Title}" : $"{options.Title}: {posts.Count} new posts";
        var model = new TemplateModel
        {
            ["title"] = subject,
            ["heading"] = posts.Count == 1 ? "A new post" : $"{posts.Count} new posts",
            ["site_title"] = options.Title,
            ["site_url"] = links.Site,
            ["email"] = subscriber.Address,
            ["unsubscribe_url"] = links.Unsubscribe(subscriber.Id),
            ["preferences_url"] = links.Preferences(subscriber.Id),
            ["posts"] = posts.Select(p => new TemplateModel
            {
                ["title"] = Feeds.XmlText.Clean(p.Title),
                ["url"] = options.PostUri(p.Slug),
                ["date"] = p.Published.ToString("d MMMM yyyy", CultureInfo.InvariantCulture),
                ["summary"] = Feeds.XmlText.Clean(p.Summary ?? ""),
            }).ToList(),
        };
        var (text, html) = templates.Render("digest", model);
        return composer.Compose(new MailDraft(EmailAddress.Parse(subscriber.Address), subject, text, html, messageId, "digest",
            links.Unsubscribe(subscriber.Id)));
    }
}

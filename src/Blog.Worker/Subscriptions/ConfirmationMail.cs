using System.Globalization;
using Blog.Mail;
using Blog.Site;
using Blog.MailingList;
using Blog.Templates;

namespace Blog.Subscriptions;

/// <summary>Renders the confirmation mail for a pending subscriber, ready for the outbox.</summary>
public sealed class ConfirmationMail(MailTemplates templates, MailComposer composer, MessageIdMint ids, SubscriptionLinks links,
    IOptions<SiteOptions> site, IOptions<SubscriptionOptions> options)
{
    public static readonly ImmutableArray<string> TemplateNames = ["confirm.txt", "confirm.html", "layout.html"];

    public QueuedMail For(Subscriber subscriber, DateTimeOffset now)
    {
        var lifetime = options.Value.ConfirmationLifetime;
        var model = new TemplateModel
        {
            ["site_title"] = site.Value.Title,
            ["site_url"] = links.Site,
            ["email"] = subscriber.Address,
            ["confirm_url"] = links.Confirm(subscriber, now + lifetime),
            ["expires_hours"] = (int)Math.Ceiling(lifetime.TotalHours),
            ["unsubscribe_url"] = links.Unsubscribe(subscriber),
        };
        var subject = $"Confirm your subscription to {site.Value.Title}";
        model["title"] = subject;
        var (text, html) = templates.Render("confirm", model);
        // Unique per sending: a re-sent confirmation is a new message; a retry of one sending keeps its id.
        var messageId = ids.For("confirm", subscriber.Id.ToString(CultureInfo.InvariantCulture), now.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture));
        return composer.Queue(new MailDraft(EmailAddress.Parse(subscriber.Address), subject, text, html, messageId, "confirm",
            links.Unsubscribe(subscriber), subscriber.Id));
    }
}

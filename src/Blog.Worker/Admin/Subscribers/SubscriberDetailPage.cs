using System.Globalization;
using System.Text;
using Blog.Feedback;
using Blog.MailingList;
using Blog.Subscriptions;
using Microsoft.AspNetCore.Http;
using static Blog.Admin.Subscribers.SubscriberCells;

namespace Blog.Admin.Subscribers;

/// <summary>
/// <c>GET /subscribers/{id}</c>: one subscriber, the forms of what the owner may do to them, their deliveries (newest
/// run first, a page at a time) and the bounce, complaint and unsubscribe reports about them.
/// </summary>
internal sealed class SubscriberDetailPage(ISubscriberStore store, ISubscriberDirectory directory, IFeedbackStore feedback, SubscriptionChoices choices)
{
    /// <summary>Deliveries a page shows; older ones are a link away.</summary>
    public const int DeliveriesShown = 50;

    /// <summary>What each finished action says when it returns here (PRG: the redirect names the action, never free text).</summary>
    private static readonly Dictionary<string, string> Done = new(StringComparer.Ordinal)
    {
        ["preferences"] = "Tags and cadence saved.",
        ["unsubscribed"] = "Unsubscribed: no more digests go to this address.",
        ["resent"] = "A new confirmation mail is queued.",
    };

    public async Task ShowAsync(HttpContext context)
    {
        var subscriber = await FindAsync(context);
        if (subscriber is null) return;
        Done.TryGetValue(context.Request.Query["done"].ToString(), out var notice);
        await WriteAsync(context, subscriber, notice, [], StatusCodes.Status200OK);
    }

    /// <summary>The route's subscriber, or null once the 404 page is written.</summary>
    public async Task<Subscriber?> FindAsync(HttpContext context)
    {
        // The route takes only a long, but a negative one too: that is no subscriber either.
        var id = long.Parse(context.Request.RouteValues["id"]?.ToString() ?? "", NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        var subscriber = id > 0 ? await store.FindAsync(id, context.RequestAborted) : null;
        if (subscriber is null)
        {
            await AdminPage.WriteAsync(context, "No such subscriber", AdminSection.Subscribers,
                $"<p>There is no subscriber #{Number(id)}: they may have been erased. <a href=\"{AdminPage.Encode(AdminPage.Url(context, "/subscribers"))}\">Search the list</a>.</p>",
                StatusCodes.Status404NotFound);
        }
        return subscriber;
    }

    /// <summary>The page, with a notice of what was done or the errors of what was refused (<paramref name="status"/> then 400 or 409).</summary>
    public async Task WriteAsync(HttpContext context, Subscriber subscriber, string? notice, IReadOnlyList<string> errors, int status,
        string? cadence = null, IReadOnlyCollection<string>? tags = null)
    {
        var body = new StringBuilder();
        if (notice is not null) body.Append("<p class=\"notice\" role=\"status\">").Append(AdminPage.Encode(notice)).Append("</p>");
        if (errors.Count > 0)
        {
            body.Append("<div class=\"errors\" role=\"alert\"><p>Nothing was changed:</p><ul>");
            foreach (var error in errors) body.Append("<li>").Append(AdminPage.Encode(error)).Append("</li>");
            body.Append("</ul></div>");
        }
        body.Append("<dl class=\"subscriber\">")
            .Append("<dt>Address</dt><dd>").Append(AdminPage.Encode(subscriber.Address)).Append("</dd>")
            .Append("<dt>Id</dt><dd>#").Append(Number(subscriber.Id)).Append("</dd>")
            .Append("<dt>Status</dt><dd>").Append(Status(subscriber.Status)).Append("</dd>")
            .Append("<dt>Cadence</dt><dd>").Append(AdminPage.Encode(subscriber.Cadence)).Append("</dd>")
            .Append("<dt>Tags</dt><dd>").Append(Tags(subscriber.Tags)).Append("</dd>")
            .Append("<dt>Created</dt><dd>").Append(AdminPage.Time(subscriber.CreatedAt)).Append("</dd>")
            .Append("<dt>Confirmation sent</dt><dd>").Append(AdminPage.Time(subscriber.ConfirmationSentAt)).Append("</dd>")
            .Append("<dt>Confirmed</dt><dd>").Append(AdminPage.Time(subscriber.ConfirmedAt)).Append("</dd>")
            .Append("<dt>Left</dt><dd>").Append(AdminPage.Time(subscriber.UnsubscribedAt)).Append("</dd>")
            .Append("<dt>Bounces</dt><dd>").Append(Number(subscriber.Bounces)).Append("</dd>")
            .Append("<dt>Mailed posts up to</dt><dd>").Append(AdminPage.Time(subscriber.Watermark)).Append("</dd>")
            .Append("</dl>");
        AppendActions(body, context, subscriber, cadence ?? subscriber.Cadence, tags ?? subscriber.Tags);
        await AppendDeliveriesAsync(body, context, subscriber);
        await AppendEventsAsync(body, subscriber, context.RequestAborted);
        await AdminPage.WriteAsync(context, subscriber.Address, AdminSection.Subscribers, body.ToString(), status);
    }

    private void AppendActions(StringBuilder body, HttpContext context, Subscriber subscriber, string cadence, IReadOnlyCollection<string> tags)
    {
        var path = "/subscribers/" + Number(subscriber.Id);
        body.Append("<section aria-labelledby=\"preferences\"><h2 id=\"preferences\">Tags and cadence</h2>")
            .Append(AdminPage.Form(context, path + "/preferences", "class=\"preferences\""))
            .Append("<fieldset><legend>Cadence</legend>");
        var cadences = choices.Cadences.ToList();
        // A cadence no longer configured is shown, so saving without touching it is refused with the reason, not silently changed.
        if (!cadences.Contains(cadence)) cadences.Add(cadence);
        foreach (var name in cadences)
        {
            body.Append("<label><input type=\"radio\" name=\"cadence\" value=\"").Append(AdminPage.Encode(name)).Append('"')
                .Append(name == cadence ? " checked" : "").Append("> ").Append(AdminPage.Encode(name)).Append("</label> ");
        }
        body.Append("</fieldset><fieldset><legend>Tags (none: every post)</legend>");
        foreach (var tag in choices.Tags)
        {
            body.Append("<label><input type=\"checkbox\" name=\"tags\" value=\"").Append(AdminPage.Encode(tag.TagKey)).Append('"')
                .Append(tags.Contains(tag.TagKey!) ? " checked" : "").Append("> ").Append(AdminPage.Encode(tag.TagName ?? tag.TagKey)).Append("</label> ");
        }
        if (choices.Tags.IsEmpty) body.Append("<p class=\"muted\">No published post has a tag yet.</p>");
        body.Append("</fieldset><button type=\"submit\">Save tags and cadence</button></form></section>");

        body.Append("<section aria-labelledby=\"actions\"><h2 id=\"actions\">Actions</h2>");
        if (subscriber.Status is not (SubscriberStatus.Unsubscribed or SubscriberStatus.Complained))
        {
            body.Append(AdminPage.Form(context, path + "/unsubscribe", "class=\"unsubscribe\""))
                .Append("<button type=\"submit\">Unsubscribe</button></form>");
        }
        if (subscriber.Status == SubscriberStatus.Pending)
        {
            body.Append(AdminPage.Form(context, path + "/resend", "class=\"resend\""))
                .Append("<button type=\"submit\">Resend the confirmation</button></form>");
        }
        body.Append(AdminPage.Form(context, path + "/forget", "class=\"forget\""))
            .Append("<p>Forget erases this subscriber, their queued mail and their delivery history for good. ")
            .Append("An address that complained stays blocked from imports, as a keyed hash.</p>")
            .Append("<label>Type the address to confirm <input type=\"text\" name=\"confirm\" autocomplete=\"off\" required></label> ")
            .Append("<button type=\"submit\">Forget</button></form></section>");
    }

    private async Task AppendDeliveriesAsync(StringBuilder body, HttpContext context, Subscriber subscriber)
    {
        var before = context.Request.Query["before"].ToString();
        var deliveries = await directory.DeliveriesAsync(subscriber.Id, before.Length == 0 ? null : before[..Math.Min(before.Length, SubscriberSearch.MaxTermLength)],
            DeliveriesShown + 1, context.RequestAborted);
        body.Append("<section aria-labelledby=\"deliveries\"><h2 id=\"deliveries\">Deliveries</h2>");
        if (deliveries.Count == 0)
        {
            body.Append("<p>").Append(before.Length == 0 ? "No digest has been planned for this subscriber yet." : "No older deliveries.").Append("</p>");
        }
        else
        {
            body.Append("<table class=\"deliveries\"><thead><tr><th scope=\"col\">Run</th><th scope=\"col\">Outcome</th><th scope=\"col\">Message-ID</th>")
                .Append("<th scope=\"col\">When</th><th scope=\"col\">Attempts</th><th scope=\"col\">Server's last words</th></tr></thead><tbody>");
            foreach (var d in deliveries.Take(DeliveriesShown))
            {
                body.Append("<tr><td>").Append(AdminPage.Encode(d.RunKey)).Append("</td><td class=\"outcome-").Append(AdminPage.Encode(d.Outcome)).Append("\">")
                    .Append(AdminPage.Encode(d.Outcome)).Append("</td><td><code>").Append(AdminPage.Encode(d.MessageId)).Append("</code></td><td>")
                    .Append(AdminPage.Time(d.At)).Append("</td><td>").Append(Number(d.Attempts)).Append("</td><td>").Append(AdminPage.Encode(d.LastError ?? "")).Append("</td></tr>");
            }
            body.Append("</tbody></table>");
        }
        if (deliveries.Count > DeliveriesShown)
        {
            body.Append("<nav class=\"pages\" aria-label=\"Deliveries\"><a rel=\"next\" href=\"")
                .Append(AdminPage.Encode(DetailUrl(context, subscriber.Id, Query(("before", deliveries[DeliveriesShown - 1].RunKey))))).Append("#deliveries\">Older deliveries</a></nav>");
        }
        body.Append("</section>");
    }

    private async Task AppendEventsAsync(StringBuilder body, Subscriber subscriber, CancellationToken cancellationToken)
    {
        // At most 100 of each kind are kept (FeedbackRules), so the whole history is a bounded read.
        var events = new List<SubscriberEvent>();
        await foreach (var e in feedback.HistoryAsync(subscriber.Id, cancellationToken)) events.Add(e);
        body.Append("<section aria-labelledby=\"events\"><h2 id=\"events\">Bounces, complaints and unsubscribes</h2>");
        if (events.Count == 0)
        {
            body.Append("<p>No report about this address.</p></section>");
            return;
        }
        body.Append("<table class=\"events\"><thead><tr><th scope=\"col\">When</th><th scope=\"col\">Kind</th><th scope=\"col\">From</th>")
            .Append("<th scope=\"col\">Run</th><th scope=\"col\">Diagnostic</th></tr></thead><tbody>");
        foreach (var e in Enumerable.Reverse(events))
        {
            body.Append("<tr><td>").Append(AdminPage.Time(e.At)).Append("</td><td>").Append(AdminPage.Encode(e.Kind.ToText())).Append("</td><td>")
                .Append(AdminPage.Encode(e.Source)).Append("</td><td>").Append(AdminPage.Encode(e.RunKey ?? "")).Append("</td><td>")
                .Append(AdminPage.Encode(e.Diagnostic)).Append("</td></tr>");
        }
        body.Append("</tbody></table></section>");
    }
}

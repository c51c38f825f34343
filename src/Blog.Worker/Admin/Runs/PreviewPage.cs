using System.Globalization;
using System.Text;
using Blog.Digests;
using Blog.MailingList;
using Blog.Posts;
using Microsoft.AspNetCore.Http;
using MimeKit;

namespace Blog.Admin.Runs;

/// <summary>
/// A subscriber's next digest, exactly as it would be mailed now (<see cref="DigestPreview"/>, as <c>blog digest
/// preview</c>): its headers, its text part, and its HTML part in a sandboxed frame served by <see cref="HtmlAsync"/>.
/// Nothing is queued or sent, and no watermark moves.
/// </summary>
internal sealed class PreviewPage(ISubscriberStore subscribers, PublishedPosts posts, DigestPreview preview, TimeProvider time)
{
    /// <summary>
    /// The HTML part's own policy: the mail's inline styles may apply (the console's CSP forbids them), its images load
    /// from https or data only, nothing else, and <c>sandbox</c> runs it in an opaque origin with no script, as a mail client would.
    /// </summary>
    public const string HtmlPolicy = "default-src 'none'; style-src 'unsafe-inline'; img-src https: data:; sandbox";

    /// <summary>The longest subscriber field read: an address is at most 254 characters.</summary>
    private const int MaxQuery = 320;

    public async Task ShowAsync(HttpContext context)
    {
        var text = context.Request.Query["subscriber"].ToString().Trim();
        var body = new StringBuilder();
        body.Append("<form method=\"get\" action=\"").Append(AdminPage.Encode(AdminPage.Url(context, "/preview"))).Append("\">")
            .Append("<label for=\"subscriber\">Subscriber (address or id)</label> <input id=\"subscriber\" name=\"subscriber\" required value=\"")
            .Append(AdminPage.Encode(text.Length > MaxQuery ? "" : text)).Append("\"> <button type=\"submit\">Preview</button></form>");
        if (text.Length == 0)
        {
            await AdminPage.WriteAsync(context, "Digest preview", AdminSection.Runs, body.ToString());
            return;
        }
        var (status, outcome) = await ComposeAsync(text, context.RequestAborted);
        if (outcome.Message is not { } message)
        {
            body.Append("<p role=\"status\">").Append(AdminPage.Encode(outcome.Problem)).Append("</p>");
            await AdminPage.WriteAsync(context, "Digest preview", AdminSection.Runs, body.ToString(), status);
            return;
        }
        var subscriber = outcome.Subscriber!;
        body.Append("<p>The ").Append(AdminPage.Encode(subscriber.Cadence)).Append(" digest ").Append(AdminPage.Encode(subscriber.Address))
            .Append(" would get now: ").Append(outcome.Plan!.Posts.Length.ToString(CultureInfo.InvariantCulture)).Append(outcome.Plan.Posts.Length == 1 ? " post" : " posts")
            .Append(outcome.Plan.More > 0 ? $", and a link to {outcome.Plan.More.ToString(CultureInfo.InvariantCulture)} more" : "")
            .Append(". Its Message-ID is a preview's; a run mints its own.</p>");
        body.Append("<section><h2>Headers</h2><table class=\"headers\"><tbody>");
        foreach (var header in message.Headers)
            body.Append("<tr><th scope=\"row\">").Append(AdminPage.Encode(header.Field)).Append("</th><td>").Append(AdminPage.Encode(header.Value)).Append("</td></tr>");
        body.Append("</tbody></table></section>");
        body.Append("<section><h2>HTML part</h2><iframe sandbox=\"\" class=\"preview\" width=\"100%\" height=\"600\" title=\"The digest's HTML part\" src=\"")
            .Append(AdminPage.Encode(AdminPage.Url(context, "/preview/html") + "?subscriber=" + Uri.EscapeDataString(subscriber.Id.ToString(CultureInfo.InvariantCulture))))
            .Append("\"></iframe></section>");
        body.Append("<section><h2>Text part</h2><pre class=\"preview-text\">").Append(AdminPage.Encode(message.TextBody)).Append("</pre></section>");
        await AdminPage.WriteAsync(context, "Digest preview", AdminSection.Runs, body.ToString());
    }

    /// <summary>The HTML part alone, under <see cref="HtmlPolicy"/>, for the preview's frame.</summary>
    public async Task HtmlAsync(HttpContext context)
    {
        var (status, outcome) = await ComposeAsync(context.Request.Query["subscriber"].ToString().Trim(), context.RequestAborted);
        context.Response.Headers.ContentSecurityPolicy = HtmlPolicy;
        context.Response.StatusCode = status;
        if (outcome.Message?.HtmlBody is not { } html)
        {
            context.Response.ContentType = "text/plain; charset=utf-8";
            await context.Response.WriteAsync(outcome.Problem ?? "this digest has no HTML part", context.RequestAborted);
            return;
        }
        context.Response.ContentType = "text/html; charset=utf-8";
        await context.Response.WriteAsync(html, context.RequestAborted);
    }

    private sealed record Outcome(Subscriber? Subscriber, DigestPlan? Plan, MimeMessage? Message, string? Problem);

    private async Task<(int Status, Outcome Outcome)> ComposeAsync(string text, CancellationToken cancellationToken)
    {
        Subscriber? subscriber;
        if (text.Length > MaxQuery)
            return (StatusCodes.Status400BadRequest, new Outcome(null, null, null, $"subscriber: longer than {MaxQuery} characters; give an address or an id"));
        if (text.Length > 0 && text.All(char.IsAsciiDigit))
        {
            if (!long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var id))
                return (StatusCodes.Status400BadRequest, new Outcome(null, null, null, $"subscriber: no such id (value: {PostProblem.Quote(text)})"));
            subscriber = await subscribers.FindAsync(id, cancellationToken);
        }
        else if (EmailAddress.TryParse(text, out var address, out var error))
        {
            subscriber = await subscribers.FindAsync(address, cancellationToken);
        }
        else
        {
            return (StatusCodes.Status400BadRequest, new Outcome(null, null, null, $"subscriber: {error} (value: {PostProblem.Quote(text)})"));
        }
        if (subscriber is null)
            return (StatusCodes.Status404NotFound, new Outcome(null, null, null, $"{text} is not on the list"));
        if (subscriber.Status != SubscriberStatus.Active)
            return (StatusCodes.Status200OK, new Outcome(subscriber, null, null, $"{subscriber.Address} is {subscriber.Status.ToText()}: no digest would be sent"));
        ImmutableArray<Post> published;
        var now = time.GetUtcNow();
        try
        {
            published = (await posts.SnapshotAsync(cancellationToken)).Published(now);
        }
        catch (PostStoreException e)
        {
            return (StatusCodes.Status503ServiceUnavailable, new Outcome(subscriber, null, null, $"the posts cannot be read: {e.Message}"));
        }
        var (plan, message) = await preview.ComposeAsync(subscriber, published, now, cancellationToken);
        if (message is null)
            return (StatusCodes.Status200OK, new Outcome(subscriber, plan, null,
                $"Nothing new for {subscriber.Address} since {RunPages.When(subscriber.Watermark ?? subscriber.ConfirmedAt)} ({subscriber.Cadence}): no digest would be sent now."));
        return (StatusCodes.Status200OK, new Outcome(subscriber, plan, message, null));
    }
}

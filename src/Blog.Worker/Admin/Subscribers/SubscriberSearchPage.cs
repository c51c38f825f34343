using System.Globalization;
using System.Text;
using Blog.MailingList;
using Blog.Subscriptions;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;
using static Blog.Admin.Subscribers.SubscriberCells;

namespace Blog.Admin.Subscribers;

/// <summary>
/// <c>GET /subscribers</c>: the search form (a plain GET form, so it works without script and every result is a link
/// the owner can keep), the table of one page, and keyset links to the pages either side.
/// </summary>
internal sealed class SubscriberSearchPage(ISubscriberDirectory directory, SubscriptionChoices choices)
{
    /// <summary>What a finished action says on the list it returns to (the detail page has its own).</summary>
    private static readonly Dictionary<string, string> Done = new(StringComparer.Ordinal)
    {
        ["forgotten"] = "The subscriber was erased, with their queued mail and delivery history.",
    };

    public async Task ShowAsync(HttpContext context)
    {
        var query = context.Request.Query;
        var errors = new List<string>();
        var fragment = Term(query, "q", "Address contains", errors);
        var statusText = Term(query, "status", "Status", errors);
        var cadence = Term(query, "cadence", "Cadence", errors);
        var tag = Term(query, "tag", "Tag", errors);
        SubscriberStatus? status = null;
        if (statusText.Length > 0)
        {
            if (SubscriberStatusText.TryParse(statusText, out var parsed)) status = parsed;
            else errors.Add($"Status: unknown status {Quote(statusText)}; the statuses are {string.Join(", ", SubscriberStatusText.All)}.");
        }
        // A tag by name or key in any case, as the forms take it: stored tags are keys.
        var tagKey = tag.Length == 0 ? null : Blog.Posts.Slug.TagKey(tag);
        if (tagKey is { Length: 0 }) errors.Add($"Tag: not a tag name (value: {Quote(tag)}).");
        var after = Key(query, "after", errors);
        var before = Key(query, "before", errors);
        if (after is not null && before is not null) errors.Add("Paging: give after or before, not both.");

        var body = new StringBuilder();
        if (Done.TryGetValue(query["done"].ToString(), out var done)) body.Append("<p class=\"notice\" role=\"status\">").Append(AdminPage.Encode(done)).Append("</p>");
        body.Append(SearchForm(context, fragment, statusText, cadence, tag));
        if (errors.Count > 0)
        {
            body.Append("<div class=\"errors\" role=\"alert\"><p>The search was not run:</p><ul>");
            foreach (var error in errors) body.Append("<li>").Append(AdminPage.Encode(error)).Append("</li>");
            body.Append("</ul></div>");
            await AdminPage.WriteAsync(context, "Subscribers", AdminSection.Subscribers, body.ToString(), StatusCodes.Status400BadRequest);
            return;
        }

        var search = new SubscriberSearch(NullIfEmpty(fragment), status, NullIfEmpty(cadence), tagKey, after, before);
        var page = await directory.SearchAsync(search, context.RequestAborted);
        var filters = new[] { ("q", fragment), ("status", statusText), ("cadence", cadence), ("tag", tag) };
        string PageUrl(string name, long key) =>
            AdminPage.Url(context, "/subscribers") + "?" + Query([.. filters, (name, key.ToString(CultureInfo.InvariantCulture))]);

        if (page.SearchedTo is { } stopped)
        {
            var forward = before is null;
            body.Append("<p class=\"searched\" role=\"status\">")
                .Append(forward ? "Searched up to #" : "Searched back to #").Append(Number(stopped))
                .Append(page.Rows.Count == 0 ? " without a match" : " without filling the page")
                .Append(": an address or tag search reads ").Append(Number(SubscriberSearch.ScanLimit)).Append(" subscribers a page at most. ")
                .Append("<a href=\"").Append(AdminPage.Encode(forward ? PageUrl("after", stopped) : PageUrl("before", stopped))).Append("\">")
                .Append(forward ? "Continue searching" : "Continue searching back").Append("</a></p>");
        }
        if (page.Rows.Count == 0)
        {
            body.Append("<p>No subscriber on this page matches.</p>");
        }
        else
        {
            body.Append("<table class=\"subscribers\"><thead><tr><th scope=\"col\">Address</th><th scope=\"col\">Status</th><th scope=\"col\">Cadence</th>")
                .Append("<th scope=\"col\">Tags</th><th scope=\"col\">Created</th><th scope=\"col\">Bounces</th><th scope=\"col\">Last event</th></tr></thead><tbody>");
            foreach (var row in page.Rows)
            {
                var s = row.Subscriber;
                body.Append("<tr><td><a href=\"").Append(AdminPage.Encode(DetailUrl(context, s.Id))).Append("\">").Append(AdminPage.Encode(s.Address)).Append("</a></td>")
                    .Append("<td>").Append(Status(s.Status)).Append("</td>")
                    .Append("<td>").Append(AdminPage.Encode(s.Cadence)).Append("</td>")
                    .Append("<td>").Append(Tags(s.Tags)).Append("</td>")
                    .Append("<td>").Append(AdminPage.Time(s.CreatedAt)).Append("</td>")
                    .Append("<td>").Append(Number(s.Bounces)).Append("</td>")
                    .Append("<td>").Append(row.LastEventKind is null ? "—" : AdminPage.Encode(row.LastEventKind) + " " + AdminPage.Time(row.LastEventAt)).Append("</td></tr>");
            }
            body.Append("</tbody></table>");
        }
        if (page.PreviousBefore is not null || page.NextAfter is not null)
        {
            body.Append("<nav class=\"pages\" aria-label=\"Pages\">");
            if (page.PreviousBefore is { } back) body.Append("<a rel=\"prev\" href=\"").Append(AdminPage.Encode(PageUrl("before", back))).Append("\">Previous</a> ");
            if (page.NextAfter is { } next) body.Append("<a rel=\"next\" href=\"").Append(AdminPage.Encode(PageUrl("after", next))).Append("\">Next</a>");
            body.Append("</nav>");
        }
        await AdminPage.WriteAsync(context, "Subscribers", AdminSection.Subscribers, body.ToString());
    }

    private string SearchForm(HttpContext context, string fragment, string status, string cadence, string tag)
    {
        var form = new StringBuilder();
        form.Append("<form method=\"get\" role=\"search\" class=\"search\" action=\"").Append(AdminPage.Encode(AdminPage.Url(context, "/subscribers"))).Append("\">")
            .Append("<label>Address contains <input type=\"search\" name=\"q\" maxlength=\"").Append(Number(SubscriberSearch.MaxTermLength))
            .Append("\" value=\"").Append(AdminPage.Encode(fragment)).Append("\"></label> ");
        Select(form, "Status", "status", status, SubscriberStatusText.All.Select(s => (s, s)));
        Select(form, "Cadence", "cadence", cadence, choices.Cadences.Select(c => (c, c)));
        Select(form, "Tag", "tag", tag, choices.Tags.Select(t => (t.TagKey!, t.TagName ?? t.TagKey!)));
        form.Append("<button type=\"submit\">Search</button></form>");
        return form.ToString();
    }

    /// <summary>A drop-down with "any" first; a value given that is not among the options (an old cadence) is kept as one.</summary>
    private static void Select(StringBuilder form, string label, string name, string chosen, IEnumerable<(string Value, string Label)> options)
    {
        var all = options.ToList();
        if (chosen.Length > 0 && !all.Any(o => o.Value == chosen)) all.Add((chosen, chosen));
        form.Append("<label>").Append(label).Append(" <select name=\"").Append(name).Append("\"><option value=\"\">any</option>");
        foreach (var (value, text) in all)
        {
            form.Append("<option value=\"").Append(AdminPage.Encode(value)).Append('"').Append(value == chosen ? " selected" : "").Append('>')
                .Append(AdminPage.Encode(text)).Append("</option>");
        }
        form.Append("</select></label> ");
    }

    /// <summary>One value of a query field, trimmed; empty when absent. Refused (with the field and value named) when repeated or too long.</summary>
    private static string Term(IQueryCollection query, string name, string label, List<string> errors)
    {
        StringValues values = query[name];
        if (values.Count > 1)
        {
            errors.Add($"{label}: given {values.Count} times; give it once.");
            return "";
        }
        var value = values.ToString().Trim();
        if (value.Length > SubscriberSearch.MaxTermLength)
        {
            errors.Add($"{label}: longer than {SubscriberSearch.MaxTermLength} characters (value: {Quote(value)}).");
            return "";
        }
        return value;
    }

    private static long? Key(IQueryCollection query, string name, List<string> errors)
    {
        var text = query[name].ToString();
        if (text.Length == 0) return null;
        if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var key) && key >= 0) return key;
        errors.Add($"Paging: {name} must be a subscriber id (value: {Quote(text)}).");
        return null;
    }

    private static string? NullIfEmpty(string value) => value.Length == 0 ? null : value;
}

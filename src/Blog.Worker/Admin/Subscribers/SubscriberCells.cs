using System.Globalization;
using Blog.MailingList;
using Microsoft.AspNetCore.Http;

namespace Blog.Admin.Subscribers;

/// <summary>How the subscriber pages show a value: every one encoded here, so no page can forget to.</summary>
internal static class SubscriberCells
{
    /// <summary>The status as a word with a class per status (the console's colours), never colour alone.</summary>
    public static string Status(SubscriberStatus status) =>
        $"<span class=\"status status-{status.ToText()}\">{status.ToText()}</span>";

    public static string Tags(ImmutableArray<string> tags) =>
        tags.IsEmpty ? "<span class=\"muted\">every post</span>" : AdminPage.Encode(string.Join(", ", tags));

    public static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>The detail page's URL of a subscriber.</summary>
    public static string DetailUrl(HttpContext context, long id, string? query = null) =>
        AdminPage.Url(context, "/subscribers/" + Number(id)) + (query is null ? "" : "?" + query);

    /// <summary>A query string from the pairs whose value is not empty, each escaped.</summary>
    public static string Query(params (string Name, string? Value)[] pairs) =>
        string.Join('&', pairs.Where(p => !string.IsNullOrEmpty(p.Value)).Select(p => p.Name + "=" + Uri.EscapeDataString(p.Value!)));

    /// <summary>Text quoted back to the owner in an error: control characters shown as '?', long values cut (encode it after).</summary>
    public static string Quote(string value)
    {
        var clean = string.Concat(value.Take(61).Select(c => char.IsControl(c) ? '?' : c));
        return "\"" + (clean.Length <= 60 ? clean : clean[..60] + "...") + "\"";
    }
}

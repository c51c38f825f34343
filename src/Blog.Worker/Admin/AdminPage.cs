using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http;

namespace Blog.Admin;

/// <summary>
/// The console's page shell: navigation, stylesheet and the encoding every page builds its body with. Pages are
/// plain HTML written here, never templates an owner edits: the console must stay safe whatever the templates say.
/// No inline script or style anywhere (the CSP forbids both); scripts are files under <c>assets/</c>.
/// </summary>
internal static class AdminPage
{
    private static readonly (AdminSection Section, string Path, string Label)[] Navigation =
    [
        (AdminSection.Overview, "/", "Overview"),
        (AdminSection.Subscribers, "/subscribers", "Subscribers"),
        (AdminSection.Runs, "/runs", "Runs"),
        (AdminSection.Posts, "/posts", "Posts"),
        (AdminSection.Readership, "/readership", "Readership"),
        (AdminSection.Health, "/health", "Health"),
        (AdminSection.Account, "/account", "Account"),
    ];

    /// <summary>HTML-encodes text for an element's content or a quoted attribute.</summary>
    public static string Encode(string? text) => HtmlEncoder.Default.Encode(text ?? "");

    /// <summary>A time in UTC, machine-readable in the attribute; an em dash for none.</summary>
    public static string Time(DateTimeOffset? at) => at is { } t
        ? $"<time datetime=\"{t.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture)}\">{t.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)} UTC</time>"
        : "—";

    /// <summary>A console URL: <paramref name="path"/> (starting with '/') under the console's prefix.</summary>
    public static string Url(HttpContext context, string path) =>
        context.RequestServices.GetRequiredService<IOptions<AdminOptions>>().Value.Prefix + path;

    /// <summary>A form's opening tag with its antiforgery field; every console POST is refused without it.</summary>
    public static string Form(HttpContext context, string path, string? attributes = null)
    {
        var tokens = context.RequestServices.GetRequiredService<IAntiforgery>().GetAndStoreTokens(context);
        return $"<form method=\"post\" action=\"{Encode(Url(context, path))}\"{(attributes is null ? "" : " " + attributes)}>" +
            $"<input type=\"hidden\" name=\"{Encode(tokens.FormFieldName)}\" value=\"{Encode(tokens.RequestToken)}\">";
    }

    /// <summary>Writes a whole page: <paramref name="body"/> is HTML the caller built with <see cref="Encode"/>.</summary>
    public static async Task WriteAsync(HttpContext context, string title, AdminSection section, string body, int status = StatusCodes.Status200OK)
    {
        var signedIn = context.User.Identity?.IsAuthenticated == true;
        var html = new StringBuilder(body.Length + 2048);
        html.Append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
            .Append("<meta name=\"color-scheme\" content=\"light dark\">")
            .Append("<title>").Append(Encode(title)).Append(" · Blog console</title>")
            .Append("<link rel=\"stylesheet\" href=\"").Append(Encode(Url(context, "/assets/console.css"))).Append("\">")
            .Append("</head><body>");
        if (signedIn)
        {
            html.Append("<header><nav aria-label=\"Console\"><ul>");
            foreach (var (item, path, label) in Navigation)
            {
                html.Append("<li><a href=\"").Append(Encode(Url(context, path))).Append('"');
                if (item == section) html.Append(" aria-current=\"page\"");
                html.Append('>').Append(label).Append("</a></li>");
            }
            html.Append("</ul>").Append(Form(context, "/signout", "class=\"signout\""))
                .Append("<button type=\"submit\">Sign out</button></form></nav></header>");
        }
        html.Append("<main><h1>").Append(Encode(title)).Append("</h1>").Append(body).Append("</main></body></html>");
        context.Response.StatusCode = status;
        context.Response.ContentType = "text/html; charset=utf-8";
        await context.Response.WriteAsync(html.ToString(), context.RequestAborted);
    }
}

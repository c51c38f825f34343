using System.Text;
using Blog.Site;
using Blog.Templates;
using Microsoft.AspNetCore.Http;

namespace Blog.Subscriptions;

/// <summary>Renders a page from <c>templates/web/</c> inside the layout and writes it with headers that keep tokens private.</summary>
public sealed class PageWriter(TemplateSet templates, SubscriptionLinks links, IOptions<SiteOptions> site)
{
    public static readonly ImmutableArray<string> TemplateNames =
    [
        "web/layout.html", "web/subscribe.html", "web/subscribed.html", "web/confirm.html", "web/confirmed.html", "web/unsubscribe.html",
        "web/unsubscribed.html", "web/preferences.html", "web/error.html",
    ];

    public async Task WriteAsync(HttpContext context, int status, string page, string title, TemplateModel model)
    {
        var body = templates.Render($"web/{page}.html", model);
        var layout = new TemplateModel
        {
            ["title"] = title,
            ["site_title"] = site.Value.Title,
            ["site_url"] = links.Site,
            ["lang"] = site.Value.Language,
            ["content_html"] = body,
        };
        var bytes = Encoding.UTF8.GetBytes(templates.Render("web/layout.html", layout));
        var response = context.Response;
        response.StatusCode = status;
        response.ContentType = "text/html; charset=utf-8";
        var headers = response.Headers;
        headers.CacheControl = "no-store";
        // The URL carries the subscriber's token: it must not leak to another site in a Referer header.
        headers["Referrer-Policy"] = "no-referrer";
        headers["X-Content-Type-Options"] = "nosniff";
        headers["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";
        response.ContentLength = bytes.Length;
        if (HttpMethods.IsHead(context.Request.Method)) return;
        await response.Body.WriteAsync(bytes, context.RequestAborted);
    }

    public Task ErrorAsync(HttpContext context, int status, string title, string message) =>
        WriteAsync(context, status, "error", title, new TemplateModel
        {
            ["title"] = title,
            ["message"] = message,
            ["subscribe_url"] = "subscribe",
        });

    /// <summary>The 400 page for a link that is tampered, expired or names nobody; the reason is the same to the reader.</summary>
    public Task BadLinkAsync(HttpContext context, bool expired) =>
        ErrorAsync(context, StatusCodes.Status400BadRequest, "This link does not work",
            expired
                ? "This confirmation link has expired. Sign up again to get a new one."
                : "This link is not valid: it may be incomplete, or the subscription it belonged to no longer exists. Copy the whole link from the mail, or sign up again.");
}

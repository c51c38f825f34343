using System.Net;
using System.Text;

namespace Blog.Feeds;

/// <summary>
/// The "follow this feed" page of the index and of each tag (<c>follow.html</c> beside the feeds): the three feed
/// addresses to copy, and subscribe links for common readers. Plain HTML, no script; a browser shows it as it is,
/// whatever becomes of XSLT (the feeds' stylesheet stays as an extra). Every value is HTML-encoded, and a feed address
/// inside a reader's link is also URL-encoded.
/// </summary>
public static class FollowPageWriter
{
    public const string FileName = "follow.html";

    /// <summary>Readers that subscribe from a link, by name, with where the encoded feed address goes.</summary>
    public static readonly ImmutableArray<(string Name, string Prefix)> Readers =
    [
        ("Feedly", "https://feedly.com/i/subscription/feed/"),
        ("Inoreader", "https://www.inoreader.com/?add_feed="),
        ("NewsBlur", "https://www.newsblur.com/?url="),
        ("The Old Reader", "https://theoldreader.com/feeds/subscribe?url="),
        ("Feedbin", "https://feedbin.com/?subscribe="),
    ];

    private const string Style =
        "body{font:16px/1.5 system-ui,sans-serif;max-width:44rem;margin:2rem auto;padding:0 1rem}input{width:100%;font:inherit;padding:.3rem}" +
        "li{margin:.4rem 0}label{display:block;margin-top:.8rem;font-weight:600}";

    /// <param name="tagName">The tag's name, or null for the index's page.</param>
    public static FeedDocument Write(string path, FeedHeader header, string siteTitle, string? tagName)
    {
        var html = new StringBuilder(4096);
        var title = tagName is null ? $"Follow {siteTitle}" : $"Follow \u201c{tagName}\u201d on {siteTitle}";
        html.Append($"""
            <!doctype html>
            <html lang="{E(header.Language)}">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>{E(title)}</title>
            <link rel="alternate" type="application/rss+xml" title="{E(header.Title)} (RSS)" href="{E(header.Rss.AbsoluteUri)}">
            <link rel="alternate" type="application/atom+xml" title="{E(header.Title)} (Atom)" href="{E(header.Atom.AbsoluteUri)}">
            <link rel="alternate" type="application/feed+json" title="{E(header.Title)} (JSON Feed)" href="{E(header.Json.AbsoluteUri)}">
            <style>{Style}</style>
            </head>
            <body>
            <main>
            <h1>{E(title)}</h1>
            <p>{E(header.Description)}</p>
            <p>A feed brings every new post to your feed reader. Open it in one of these:</p>
            <ul class="readers">

            """);
        foreach (var (name, prefix) in Readers)
            html.Append($"""<li><a href="{E(prefix + Uri.EscapeDataString(header.Rss.AbsoluteUri))}" rel="nofollow">{E(name)}</a></li>""").Append('\n');
        html.Append($"""
            </ul>
            <p>Or copy an address into your reader:</p>
            <label for="rss">RSS</label>
            <input id="rss" type="url" readonly value="{E(header.Rss.AbsoluteUri)}">
            <label for="atom">Atom</label>
            <input id="atom" type="url" readonly value="{E(header.Atom.AbsoluteUri)}">
            <label for="json">JSON Feed</label>
            <input id="json" type="url" readonly value="{E(header.Json.AbsoluteUri)}">
            <p><a href="{E(header.Home.AbsoluteUri)}">{E(siteTitle)}</a></p>
            </main>
            </body>
            </html>

            """);
        return FeedDocument.Pooled(path, Encoding.UTF8.GetBytes(html.ToString()));
    }

    private static string E(string text) => WebUtility.HtmlEncode(text);
}

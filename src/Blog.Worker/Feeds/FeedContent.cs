using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Blog.Posts;

namespace Blog.Feeds;

/// <summary>
/// A post's HTML made XML-safe and escaped once for each format. A post appears in the main feed and in a feed
/// per tag, three formats each; escaping it once instead of every time is most of what a build costs.
/// </summary>
public sealed class FeedContent
{
    private FeedContent(string html, string? excerpt)
    {
        // The HTML itself is not kept: the writers only need it escaped.
        Excerpt = excerpt;
        XmlEscaped = EscapeText(html);
        Json = JsonEncodedText.Encode(html, JavaScriptEncoder.UnsafeRelaxedJsonEscaping);
    }

    /// <summary>Plain text of the first paragraph, for posts that set no summary.</summary>
    public string? Excerpt { get; }

    /// <summary>The HTML as XML element text, escaped exactly as the feed writers' XmlWriter escapes text.</summary>
    public string XmlEscaped { get; }

    public JsonEncodedText Json { get; }

    /// <summary>Renders a post's Markdown, with relative links resolved against <paramref name="postUri"/>.</summary>
    public static FeedContent Render(string markdown, Uri postUri) => From(MarkdownRenderer.Render(markdown, postUri));

    public static FeedContent From(RenderedBody body) => new(XmlText.Clean(body.Html), XmlText.CleanOrNull(body.Excerpt));

    /// <summary>
    /// Escapes XML-clean text for element content the way XmlWriter does with the writers' settings (new lines
    /// normalised to \n): <c>&amp;</c>, <c>&lt;</c>, <c>&gt;</c>. A test holds it to XmlWriter's output byte for byte.
    /// </summary>
    internal static string EscapeText(string text)
    {
        var next = text.AsSpan().IndexOfAny("&<>\r");
        if (next < 0) return text;
        var sb = new StringBuilder(text.Length + text.Length / 8);
        var start = 0;
        while (next >= 0)
        {
            var at = start + next;
            sb.Append(text, start, at - start);
            switch (text[at])
            {
                case '&': sb.Append("&amp;"); break;
                case '<': sb.Append("&lt;"); break;
                case '>': sb.Append("&gt;"); break;
                default:
                    sb.Append('\n');
                    if (at + 1 < text.Length && text[at + 1] == '\n') at++;
                    break;
            }
            start = at + 1;
            next = text.AsSpan(start).IndexOfAny("&<>\r");
        }
        return sb.Append(text, start, text.Length - start).ToString();
    }
}

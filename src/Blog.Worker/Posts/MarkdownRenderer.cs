using System.Text;
using Markdig;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace Blog.Posts;

/// <summary>
/// Renders a post body to HTML for feeds and mail. Relative links and images become absolute against the
/// post's own URL, because feed readers and mail clients ignore xml:base.
/// </summary>
public static class MarkdownRenderer
{
    // Built once: building a pipeline costs far more than rendering a post.
    private static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder()
        .UsePipeTables()
        .UseAutoLinks()
        .UseEmphasisExtras()
        .UseFootnotes()
        .UseTaskLists()
        .UseListExtras()
        .UseAutoIdentifiers(Markdig.Extensions.AutoIdentifiers.AutoIdentifierOptions.GitHub)
        .Build();

    public static RenderedBody Render(string markdown, Uri postUri)
    {
        var document = Markdown.Parse(markdown, Pipeline);
        foreach (var link in document.Descendants<LinkInline>())
        {
            if (link.Url is { } url) link.Url = Absolute(url, postUri);
        }
        return new RenderedBody(document.ToHtml(Pipeline), FirstParagraph(document));
    }

    private static string Absolute(string url, Uri baseUri)
    {
        if (url.Length == 0) return baseUri.AbsoluteUri;
        if (Uri.TryCreate(url, UriKind.Absolute, out var absolute) && !absolute.IsFile) return url;
        return Uri.TryCreate(baseUri, url, out var resolved) ? resolved.AbsoluteUri : url;
    }

    /// <summary>Plain text of the first paragraph, for posts that set no summary.</summary>
    private static string? FirstParagraph(MarkdownDocument document)
    {
        var paragraph = document.Descendants<ParagraphBlock>().FirstOrDefault();
        if (paragraph?.Inline is null) return null;
        var sb = new StringBuilder();
        foreach (var inline in paragraph.Inline.Descendants<Inline>())
        {
            switch (inline)
            {
                case LiteralInline literal: sb.Append(literal.Content.AsSpan()); break;
                case CodeInline code: sb.Append(code.Content); break;
                case LineBreakInline: sb.Append(' '); break;
            }
        }
        var text = sb.ToString().Trim();
        if (text.Length <= 300) return text.Length == 0 ? null : text;
        var cut = text.LastIndexOf(' ', 300);
        return text[..(cut > 200 ? cut : 300)].TrimEnd() + "…";
    }
}

public sealed record RenderedBody(string Html, string? Excerpt);

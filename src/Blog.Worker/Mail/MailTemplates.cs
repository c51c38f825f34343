using System.Collections.Concurrent;
using Blog.Templates;
using Scriban;

namespace Blog.Mail;

/// <summary>
/// Renders a mail from its templates: <c>{name}.txt</c> for the text part; <c>{name}.html</c> inside
/// <c>layout.html</c> for the HTML part, its CSS inlined. The layout and body are joined and inlined once per
/// template (see <see cref="TemplateCss"/>), then rendered per message like any template.
/// </summary>
public sealed partial class MailTemplates(TemplateSet templates)
{
    public const string Layout = "layout.html";
    private readonly ConcurrentDictionary<string, Template?> prepared = new(StringComparer.Ordinal);

    public (string Text, string Html) Render(string name, TemplateModel model)
    {
        var text = templates.Render(name + ".txt", model);
        if (prepared.GetOrAdd(name, Prepare) is { } joined) return (text, TemplateSet.Render(joined, model, html: true));
        model["content_html"] = templates.Render(name + ".html", model);
        return (text, TemplateCss.Inline(templates.Render(Layout, model)));
    }

    /// <summary>True when <paramref name="name"/>'s CSS is inlined once, not per message.</summary>
    internal bool InlinedOnce(string name) => prepared.GetOrAdd(name, Prepare) is not null;

    /// <summary>The layout with the body in place of <c>{{ content_html }}</c>, CSS inlined; null when that cannot be done safely.</summary>
    private Template? Prepare(string name)
    {
        var (layout, layoutFile) = templates.Source(Layout);
        var (body, _) = templates.Source(name + ".html");
        var slot = ContentSlot().Match(layout);
        if (!slot.Success) return null;
        var joined = TemplateCss.InlineOnce(string.Concat(layout.AsSpan(0, slot.Index), body, layout.AsSpan(slot.Index + slot.Length)));
        return joined is null ? null : TemplateSet.Compile(joined, $"{layoutFile} + {name}.html.sbn (CSS inlined)");
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"\{\{-?~?\s*content_html\s*~?-?\}\}")]
    private static partial System.Text.RegularExpressions.Regex ContentSlot();
}

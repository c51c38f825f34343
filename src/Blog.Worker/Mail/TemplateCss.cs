using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Blog.Mail;

/// <summary>
/// Inlines a mail template's CSS once, into the template itself, so no message pays for it: inlining parses the HTML
/// and matches every selector (about a millisecond and 170 KB of garbage a message, which a list of 100,000 would
/// feel). Scriban blocks are hidden from the HTML parser first: as comments where they stand between elements (a
/// comment is kept even inside a table, where text would be moved), as plain tokens inside a tag or a title, and put
/// back after. A template this cannot handle safely (Scriban inside a style sheet, a token that did not come back)
/// gets null, and its mail is inlined per message instead.
/// </summary>
internal static partial class TemplateCss
{
    private const string Marker = "zqsbn";

    public static string? InlineOnce(string template)
    {
        var blocks = Block().Matches(template);
        if (blocks.Count == 0) return Inline(template);
        // Positions are judged on the text with the blocks blanked out, so a '>' inside a block cannot mislead.
        var blanked = Block().Replace(template, m => new string(' ', m.Length));
        var hidden = new StringBuilder(template.Length + blocks.Count * 20);
        var last = 0;
        for (var i = 0; i < blocks.Count; i++)
        {
            var block = blocks[i];
            hidden.Append(template, last, block.Index - last);
            var place = PlaceOf(blanked, block.Index);
            if (place == Place.StyleSheet) return null;
            var token = string.Create(CultureInfo.InvariantCulture, $"{Marker}{i}zq");
            hidden.Append(place == Place.BetweenElements ? $"<!--{token}-->" : token);
            last = block.Index + block.Length;
        }
        hidden.Append(template, last, template.Length - last);

        var restored = 0;
        var result = Token().Replace(Inline(hidden.ToString(), keepComments: true), m =>
        {
            restored++;
            return blocks[int.Parse(m.Groups["n"].Value, CultureInfo.InvariantCulture)].Value;
        });
        return restored == blocks.Count && !result.Contains(Marker, StringComparison.Ordinal) ? result : null;
    }

    /// <summary>Inlines finished HTML: for a template <see cref="InlineOnce"/> could not prepare.</summary>
    public static string Inline(string html, bool keepComments = false) =>
        PreMailer.Net.PreMailer.MoveCssInline(html, removeStyleElements: true, removeComments: !keepComments, preserveMediaQueries: true).Html;

    private enum Place
    {
        BetweenElements,
        InsideTag,
        InsideText,
        StyleSheet,
    }

    private static Place PlaceOf(string html, int index)
    {
        var before = html.AsSpan(0, index);
        var open = before.LastIndexOf('<');
        if (open >= 0 && open > before.LastIndexOf('>')) return Place.InsideTag;
        foreach (var element in (ReadOnlySpan<string>)["style", "title", "textarea", "script"])
        {
            var start = before.LastIndexOf("<" + element, StringComparison.OrdinalIgnoreCase);
            if (start < 0 || before[start..].Contains("</" + element, StringComparison.OrdinalIgnoreCase)) continue;
            return element == "style" ? Place.StyleSheet : Place.InsideText;
        }
        return Place.BetweenElements;
    }

    [GeneratedRegex(@"\{\{.*?\}\}", RegexOptions.Singleline)]
    private static partial Regex Block();

    // A token in an attribute's name position comes back as name="" from the serializer.
    [GeneratedRegex(Marker + @"(?<n>\d+)zq(?:="""")?|<!--" + Marker + @"(?<n>\d+)zq-->")]
    private static partial Regex Token();
}

using System.Text;

namespace Blog.Feeds;

/// <summary>
/// Makes any string safe to put in an XML 1.0 (and JSON) document: characters XML forbids, unpaired surrogates,
/// C1 controls and non-characters are dropped. Markup and <c>]]&gt;</c> need nothing here, because the writers
/// escape text and never emit CDATA.
/// </summary>
public static class XmlText
{
    public static string Clean(string text)
    {
        var i = 0;
        while (i < text.Length && IsAllowed(text, i, out var width)) i += width;
        if (i == text.Length) return text;

        var sb = new StringBuilder(text.Length);
        sb.Append(text, 0, i);
        while (i < text.Length)
        {
            if (IsAllowed(text, i, out var width)) sb.Append(text, i, width);
            i += width;
        }
        return sb.ToString();
    }

    public static string? CleanOrNull(string? text) => text is null ? null : Clean(text);

    private static bool IsAllowed(string text, int i, out int width)
    {
        var c = text[i];
        width = 1;
        if (char.IsHighSurrogate(c))
        {
            if (i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                width = 2;
                // U+nFFFE and U+nFFFF are non-characters in every plane.
                return (text[i + 1] & 0x3FE) != 0x3FE || (c & 0x3F) != 0x3F;
            }
            return false;
        }
        return c switch
        {
            '\t' or '\n' or '\r' => true,
            < '\u0020' => false,
            >= '\u007F' and <= '\u009F' => false,
            >= '\uDC00' and <= '\uDFFF' => false,
            >= '\uFDD0' and <= '\uFDEF' => false,
            '\uFFFE' or '\uFFFF' => false,
            _ => true,
        };
    }
}

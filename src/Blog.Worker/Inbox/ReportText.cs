using System.Text;
using MimeKit;

namespace Blog.Inbox;

/// <summary>
/// Text taken from a report, within bounds: a diagnostic goes to the store and the log, so it is short and has no
/// control characters (a folded header or a hostile one could carry line breaks or terminal escapes); a body is
/// scanned only as far as its first <see cref="MaxScan"/> characters.
/// </summary>
internal static class ReportText
{
    public const int MaxDiagnostic = 500;
    public const int MaxScan = 64 * 1024;

    /// <summary>On one line, runs of white space as one space, at most <see cref="MaxDiagnostic"/> characters.</summary>
    public static string Clean(string? text, int max = MaxDiagnostic)
    {
        if (string.IsNullOrEmpty(text)) return "";
        var clean = new StringBuilder(Math.Min(text.Length, max));
        var space = false;
        // Bounded on the input too: a megabyte of white space must not be walked to make an empty diagnostic.
        foreach (var c in text.AsSpan(0, Math.Min(text.Length, max * 4)))
        {
            if (char.IsWhiteSpace(c) || char.IsControl(c))
            {
                space = clean.Length > 0;
                continue;
            }
            if (space) clean.Append(' ');
            space = false;
            if (clean.Length >= max) break;
            clean.Append(c);
        }
        return clean.Length > max ? clean.ToString(0, max) : clean.ToString();
    }

    /// <summary>A header's value, or null when it is missing or longer than any genuine one (<paramref name="max"/>).</summary>
    public static string? Header(HeaderList headers, string name, int max = 1000)
    {
        var index = headers.IndexOf(name);
        if (index < 0) return null;
        var value = headers[index].Value;
        return value is null || value.Length > max ? null : value.Trim();
    }

    /// <summary>The first <paramref name="maxChars"/> characters of a text part, decoded, without decoding the rest.</summary>
    public static string Read(TextPart part, int maxChars = MaxScan)
    {
        if (part.Content is null) return "";
        Encoding encoding;
        try
        {
            encoding = part.ContentType.CharsetEncoding ?? Encoding.UTF8;
        }
        catch (NotSupportedException)
        {
            encoding = Encoding.Latin1;
        }
        catch (ArgumentException)
        {
            encoding = Encoding.Latin1;
        }
        using var content = part.Content.Open();
        // At most 4 bytes a character in the charsets mail uses, so this many bytes hold maxChars characters.
        var bytes = new byte[maxChars * 4];
        var read = 0;
        int n;
        while (read < bytes.Length && (n = content.Read(bytes, read, bytes.Length - read)) > 0) read += n;
        var text = encoding.GetString(bytes, 0, read);
        return text.Length > maxChars ? text[..maxChars] : text;
    }
}

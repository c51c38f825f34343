using System.Text;

namespace Blog.Posts;

/// <summary>
/// A strict reader for the flat front matter nearly every post has: <c>key: scalar</c>, <c>key: [a, b]</c> and
/// <c>key:</c> followed by <c>- item</c> lines, with plain, single- or double-quoted scalars. It returns null for
/// anything outside that subset, including every error, so that YamlDotNet decides (and words) those cases.
/// </summary>
internal static class SimpleFrontMatter
{
    private const string Indicators = "-?:,[]{}#&*!|>'\"%@`";

    public static Dictionary<string, YamlField>? TryRead(string yaml)
    {
        var fields = new Dictionary<string, YamlField>(StringComparer.Ordinal);
        var lines = yaml.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].TrimEnd('\r');
            if (IsBlankOrComment(line)) continue;
            if (line[0] is ' ' or '\t') return null;

            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0 || !IsKey(line.AsSpan(0, colon))) return null;
            var key = line[..colon];
            var rest = line[(colon + 1)..];
            if (rest.Length > 0 && rest[0] != ' ') return null;
            if (fields.ContainsKey(key)) return null;
            var fileLine = i + 2;
            var value = StripComment(rest.Trim(' '));
            if (value is null) return null;

            if (value.Length == 0)
            {
                var items = ImmutableArray.CreateBuilder<YamlItem>();
                var indent = -1;
                while (i + 1 < lines.Length && ListItem(lines[i + 1].TrimEnd('\r')) is var (isItem, itemIndent, itemText) && isItem)
                {
                    // A deeper "- b" continues the previous item's text in YAML; leave such lists to YamlDotNet.
                    if (indent >= 0 && itemIndent != indent) return null;
                    indent = itemIndent;
                    i++;
                    var item = Scalar(itemText, out _);
                    if (item is null) return null;
                    items.Add(new YamlItem(i + 2, item, item));
                }
                // A following indented line that is no list item would continue the value: not ours to read.
                if (i + 1 < lines.Length && lines[i + 1].TrimEnd('\r') is { Length: > 0 } next && next[0] is ' ' or '\t' && !IsBlankOrComment(next))
                    return null;
                fields[key] = items.Count > 0 ? new YamlField(fileLine, null, false, items.ToImmutable(), null) : new YamlField(fileLine, "", true, null, null);
                continue;
            }

            // A value continued on the next, indented line is a multi-line scalar: not ours to read.
            if (i + 1 < lines.Length && lines[i + 1].TrimEnd('\r') is { Length: > 0 } cont && cont[0] is ' ' or '\t' && !IsBlankOrComment(cont))
                return null;

            if (value[0] == '[')
            {
                if (value[^1] != ']') return null;
                var inner = value[1..^1].Trim(' ');
                var items = ImmutableArray.CreateBuilder<YamlItem>();
                if (inner.Length > 0)
                {
                    foreach (var part in inner.Split(','))
                    {
                        var item = Scalar(part.Trim(' '), out var plainItem);
                        // In a flow list, brackets and braces inside a plain item mean nesting or an error.
                        if (item is null || (plainItem && item.AsSpan().IndexOfAny("[]{}") >= 0)) return null;
                        items.Add(new YamlItem(fileLine, item, item));
                    }
                }
                fields[key] = new YamlField(fileLine, null, false, items.ToImmutable(), null);
                continue;
            }

            var scalar = Scalar(value, out var plain);
            if (scalar is null) return null;
            fields[key] = new YamlField(fileLine, scalar, plain, null, null);
        }
        return fields.Count > 0 ? fields : null;
    }

    private static bool IsBlankOrComment(string line)
    {
        var trimmed = line.TrimStart(' ');
        return trimmed.Length == 0 || trimmed[0] == '#';
    }

    private static bool IsKey(ReadOnlySpan<char> key)
    {
        if (!char.IsAsciiLetter(key[0]) && key[0] != '_') return false;
        foreach (var c in key)
            if (!char.IsAsciiLetterOrDigit(c) && c is not '_' and not '-') return false;
        return true;
    }

    /// <summary>An indented or flush <c>- item</c> line with its indentation, or (false, 0, "") for any other line.</summary>
    private static (bool, int, string) ListItem(string line)
    {
        var trimmed = line.TrimStart(' ');
        if (!trimmed.StartsWith("- ", StringComparison.Ordinal)) return (false, 0, "");
        var text = StripComment(trimmed[2..].Trim(' '));
        return text is { Length: > 0 } ? (true, line.Length - trimmed.Length, text) : (false, 0, "");
    }

    /// <summary>Drops a trailing <c> # comment</c> outside quotes; null when quotes make that unclear.</summary>
    private static string? StripComment(string value)
    {
        if (value.Length == 0 || value[0] is '"' or '\'') return value;
        var hash = value.IndexOf(" #", StringComparison.Ordinal);
        return hash < 0 ? value : value[..hash].TrimEnd(' ');
    }

    /// <summary>The value of a one-line scalar, or null when it is not one this reader is sure of.</summary>
    private static string? Scalar(string text, out bool plain)
    {
        plain = false;
        if (text.Length == 0) return null;
        if (text[0] == '"') return DoubleQuoted(text);
        if (text[0] == '\'')
        {
            if (text.Length < 2 || text[^1] != '\'') return null;
            var inner = text[1..^1];
            // Inside single quotes '' is a quote; a lone ' would end the scalar early.
            if (inner.Replace("''", "", StringComparison.Ordinal).Contains('\'', StringComparison.Ordinal)) return null;
            return inner.Replace("''", "'", StringComparison.Ordinal);
        }
        if (Indicators.Contains(text[0], StringComparison.Ordinal)) return null;
        if (text.Contains(": ", StringComparison.Ordinal) || text.EndsWith(':') || text.Contains(" #", StringComparison.Ordinal) || text.Contains('\t', StringComparison.Ordinal))
            return null;
        plain = true;
        return text;
    }

    private static string? DoubleQuoted(string text)
    {
        if (text.Length < 2 || text[^1] != '"') return null;
        var sb = new StringBuilder(text.Length);
        for (var i = 1; i < text.Length - 1; i++)
        {
            var c = text[i];
            if (c == '"') return null;
            if (c != '\\')
            {
                sb.Append(c);
                continue;
            }
            if (++i >= text.Length - 1) return null;
            switch (text[i])
            {
                case '"': sb.Append('"'); break;
                case '\\': sb.Append('\\'); break;
                case '/': sb.Append('/'); break;
                case 'n': sb.Append('\n'); break;
                case 't': sb.Append('\t'); break;
                default: return null; // the rarer escapes are YamlDotNet's to decode
            }
        }
        return sb.ToString();
    }
}

using System.Text;
using MimeKit;

namespace Blog.Inbox;

/// <summary>
/// Whether our own receiving server vouches for a request's From, by the Authentication-Results header (RFC 8601) it
/// prepended: <c>dmarc=pass</c>, or <c>dkim=pass</c> with <c>header.d</c> (or <c>header.i</c>'s domain) the From
/// domain or a parent of it. Only the first header carrying our authserv-id (<c>Mail:TrustedAuthServId</c>) counts:
/// the receiving server writes its own above whatever the sender put in, so any lower one could be forged.
/// </summary>
internal static class UnsubscribeSenderAuthentication
{
    private const int MaxHeaders = 500;
    private const int MaxLength = 4000;

    public static bool Vouches(HeaderList headers, string trustedId, string fromDomain)
    {
        if (trustedId.Length == 0 || fromDomain.Length == 0) return false;
        var seen = 0;
        foreach (var header in headers)
        {
            if (++seen > MaxHeaders) break;
            if (!header.Field.Equals("Authentication-Results", StringComparison.OrdinalIgnoreCase) || header.Value is not { } value) continue;
            // A header too long to be read whole is judged by its id alone: ours, too long, vouches for nothing.
            var statements = Statements(value.Length > MaxLength ? value[..MaxLength] : value);
            var id = statements[0].Split(' ', 2, StringSplitOptions.RemoveEmptyEntries).FirstOrDefault() ?? "";
            if (!id.Equals(trustedId, StringComparison.OrdinalIgnoreCase)) continue;
            return value.Length <= MaxLength && statements.Skip(1).Any(s => Passes(s, fromDomain));
        }
        return false;
    }

    /// <summary>
    /// The header's <c>;</c>-separated parts, without comments (which may hold anything, "dkim=pass" too), with white
    /// space around <c>=</c> removed and runs of it as one space; a <c>;</c> in a quoted string does not separate.
    /// </summary>
    private static string[] Statements(string value)
    {
        var text = new StringBuilder(value.Length);
        var depth = 0;
        var quoted = false;
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (quoted)
            {
                if (c == '\\' && i + 1 < value.Length) i++;
                else if (c == '"') quoted = false;
                else text.Append(c == ';' ? ' ' : c);
                continue;
            }
            if (depth > 0)
            {
                if (c == '\\' && i + 1 < value.Length) i++;
                else if (c == '(') depth++;
                else if (c == ')') depth--;
                continue;
            }
            if (c == '(') depth = 1;
            else if (c == '"') quoted = true;
            else if (char.IsWhiteSpace(c) || char.IsControl(c))
            {
                if (text.Length > 0 && text[^1] is not (' ' or '=' or ';')) text.Append(' ');
            }
            else if (c is '=' or ';')
            {
                if (text.Length > 0 && text[^1] == ' ') text.Length--;
                text.Append(c);
            }
            else
            {
                text.Append(c);
            }
        }
        return text.ToString().Split(';', StringSplitOptions.TrimEntries);
    }

    /// <summary>Whether one result (<c>method=result property=value …</c>) vouches for <paramref name="fromDomain"/>.</summary>
    private static bool Passes(string statement, string fromDomain)
    {
        var words = statement.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (words.Length == 0) return false;
        var result = words[0].Split('=', 2);
        if (result.Length != 2 || !result[1].Equals("pass", StringComparison.OrdinalIgnoreCase)) return false;
        var method = result[0].Split('/', 2)[0].ToLowerInvariant();
        var properties = words.Skip(1).Select(w => w.Split('=', 2)).Where(p => p.Length == 2).ToList();
        string? Property(string name) => properties.FirstOrDefault(p => p[0].Equals(name, StringComparison.OrdinalIgnoreCase))?[1];
        switch (method)
        {
            case "dmarc":
                // DMARC passes for the From domain by definition; a header.from naming another domain is about another mail.
                return Property("header.from") is not { } from || from.Equals(fromDomain, StringComparison.OrdinalIgnoreCase);
            case "dkim":
                // header.i is an identity (@domain, or a user in it) within header.d's domain.
                var domain = Property("header.d") ?? (Property("header.i") is { } identity ? identity[(identity.LastIndexOf('@') + 1)..] : null);
                return domain is { Length: > 0 } && (fromDomain.Equals(domain, StringComparison.OrdinalIgnoreCase)
                    || fromDomain.EndsWith("." + domain, StringComparison.OrdinalIgnoreCase));
            default:
                return false;
        }
    }
}

using Blog.Feedback;
using MimeKit;

namespace Blog.Inbox;

/// <summary>
/// Who a report is about, in the order a report can be trusted to tell: a signed return path first (VERP: it names
/// the subscriber and run whatever the far server wrote), then the Message-ID of the mail we sent, then the address
/// the report names. Only a token <see cref="ReturnAddress.Read"/> verified counts; an altered one is no token.
/// </summary>
internal sealed class ReportTargets(ReturnAddress returns)
{
    /// <summary>Where the server that delivered a report to our mailbox wrote the address it was sent to (our return path).</summary>
    private static readonly string[] EnvelopeHeaders = ["Delivered-To", "X-Original-To", "Envelope-To", "X-Envelope-To", "X-Original-Recipient", "To", "Cc"];

    private const int MaxHeaders = 500;
    private const int MaxAddressesPerHeader = 20;

    /// <summary>The first verified token of the <paramref name="kinds"/> in the headers the receiving server wrote the envelope recipient into.</summary>
    public ReturnToken? Envelope(HeaderList headers, params ReadOnlySpan<char> kinds)
    {
        foreach (var name in EnvelopeHeaders)
        {
            if (InHeaders(headers, name, kinds) is { } token) return token;
        }
        return null;
    }

    /// <summary>
    /// The first verified token in the returned message's Return-Path (a bounce's own envelope sender, when the
    /// reporting server kept it), then in its List-Unsubscribe mailto (which names the subscriber, not the run).
    /// </summary>
    public ReturnToken? Returned(HeaderList? returned)
    {
        if (returned is null) return null;
        if (InHeaders(returned, "Return-Path", ReturnAddress.Digest, ReturnAddress.Mail) is { } token) return token;
        var unsubscribe = ReportText.Header(returned, "List-Unsubscribe", 2000);
        if (unsubscribe is null) return null;
        foreach (var link in unsubscribe.Split(',', MaxAddressesPerHeader, StringSplitOptions.TrimEntries))
        {
            var mailto = link.Trim('<', '>');
            if (!mailto.StartsWith("mailto:", StringComparison.OrdinalIgnoreCase)) continue;
            var address = mailto[7..];
            var query = address.IndexOf('?', StringComparison.Ordinal);
            if (Of(returns.Read(query < 0 ? address : address[..query]), ReturnAddress.Unsubscribe) is { } named) return named;
        }
        return null;
    }

    /// <summary>A verified token in an address-valued field (<c>rfc822; bounces+…@…</c>, <c>&lt;bounces+…@…&gt;</c>).</summary>
    public ReturnToken? InField(string? value, params ReadOnlySpan<char> kinds) => Of(returns.Read(Address(value)), kinds);

    /// <summary>The Message-ID of the returned message: ours names the delivery, and so the subscriber and the run.</summary>
    public static string? MessageId(HeaderList? returned)
    {
        var id = returned is null ? null : ReportText.Header(returned, "Message-ID", 300);
        if (id is null) return null;
        id = id.Trim().Trim('<', '>');
        return id.Length is 0 or > 250 || id.Any(c => char.IsWhiteSpace(c) || char.IsControl(c) || c is '<' or '>') ? null : id;
    }

    /// <summary>
    /// The address in a DSN or ARF address field (<c>rfc822; user@example.com</c>, or a bare address), or null when
    /// it is of another type or no single valid address.
    /// </summary>
    public static string? Address(string? value)
    {
        if (string.IsNullOrWhiteSpace(value) || value.Length > 400) return null;
        var semicolon = value.IndexOf(';', StringComparison.Ordinal);
        if (semicolon >= 0)
        {
            var type = value[..semicolon].Trim();
            if (!type.Equals("rfc822", StringComparison.OrdinalIgnoreCase) && !type.Equals("utf-8", StringComparison.OrdinalIgnoreCase)) return null;
            value = value[(semicolon + 1)..];
        }
        var address = value.Trim().Trim('<', '>').Trim();
        return address.Length is > 2 and <= 320 && address.IndexOf('@', StringComparison.Ordinal) > 0
            && !address.Any(c => char.IsWhiteSpace(c) || char.IsControl(c) || c is '<' or '>' or ',')
            ? address
            : null;
    }

    private ReturnToken? InHeaders(HeaderList headers, string name, params ReadOnlySpan<char> kinds)
    {
        var seen = 0;
        foreach (var header in headers)
        {
            if (++seen > MaxHeaders) break;
            if (!header.Field.Equals(name, StringComparison.OrdinalIgnoreCase) || header.Value is not { Length: <= 2000 } value) continue;
            if (InternetAddressList.TryParse(value, out var list))
            {
                foreach (var mailbox in list.Mailboxes.Take(MaxAddressesPerHeader))
                {
                    if (Of(returns.Read(mailbox.Address), kinds) is { } token) return token;
                }
            }
            else if (Of(returns.Read(value.Trim().Trim('<', '>')), kinds) is { } token)
            {
                return token;
            }
        }
        return null;
    }

    private static ReturnToken? Of(ReturnToken? token, params ReadOnlySpan<char> kinds) => token is not null && kinds.Contains(token.Kind) ? token : null;
}

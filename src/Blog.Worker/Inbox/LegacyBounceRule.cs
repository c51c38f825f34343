using Blog.Feedback;
using Blog.Mail;
using MimeKit;

namespace Blog.Inbox;

/// <summary>
/// Bounces that are not RFC 3464 reports: plain text from older or simpler MTAs (qmail's "failure notice", old Exim's
/// "Mail delivery failed", Exchange's and others' "Undeliverable" text). Their wording is free, so they are acted on
/// only when a signed return path names the subscriber; an address written in the text is never trusted, as anyone
/// can write one. The guess is conservative: hard only for a clear permanent failure (a 5.x.x code, a 55x reply, or
/// "user unknown" and its like), soft otherwise. Delay warnings are ignored, as for reports.
/// </summary>
internal sealed class LegacyBounceRule(ReportTargets targets, ReturnAddress returns, IOptions<MailOptions> options)
{
    private static readonly string[] BounceSubjects =
    [
        "undelivered mail", "undeliverable", "delivery status notification", "returned mail", "failure notice",
        "mail delivery failed", "delivery failure", "delivery has failed", "could not be delivered", "non-delivery",
        "nondeliverable", "mail system error",
    ];

    private static readonly string[] DelaySubjects = ["delayed", "(delay)", "still being retried", "warning: could not send"];

    /// <summary>Where a bounce's own words end and its copy of our mail (which could say anything) begins.</summary>
    private static readonly string[] CopyMarkers =
    [
        "--- below this line is a copy of the message", "------ this is a copy of the message", "------ this is a copy of your message",
        "original message headers", "----- original message -----", "-----original message-----", "--- the header of the original message",
        "----- the following addresses had", "content-type: message/rfc822",
    ];

    private static readonly string[] HardWords =
    [
        "user unknown", "unknown user", "no such user", "does not exist", "no mailbox here", "mailbox not found", "no such mailbox",
        "recipient not found", "unknown recipient", "invalid recipient", "recipientnotfound",
    ];

    private const int MaxTokenCandidates = 20;

    public InboxVerdict? Classify(MimeMessage message, ReportParts parts)
    {
        var subject = message.Subject is { } s ? (s.Length > 300 ? s[..300] : s) : "";
        var looksLikeBounce = BounceSender.IsDeliverySystem(message)
            || message.Headers.Contains("X-Failed-Recipients")
            || BounceSubjects.Any(b => subject.Contains(b, StringComparison.OrdinalIgnoreCase));
        if (!looksLikeBounce) return null;
        if (DelaySubjects.Any(d => subject.Contains(d, StringComparison.OrdinalIgnoreCase))) return InboxVerdict.Ignored("plain-text delay warning: not a bounce");

        var text = Text(parts);
        var token = targets.Envelope(message.Headers, ReturnAddress.Digest, ReturnAddress.Mail)
            ?? parts.Entities.OfType<MessagePart>().Select(p => targets.Returned(p.Message?.Headers)).FirstOrDefault(t => t is not null)
            ?? InText(text);
        if (token is null) return InboxVerdict.Unhandled("plain-text bounce without a signed return path: not acted on");

        var own = OwnWords(text);
        var (hard, evidence) = Evidence(own);
        var diagnostic = ReportText.Clean(evidence ?? subject);
        var kind = hard ? FeedbackKind.HardBounce : FeedbackKind.SoftBounce;
        var reason = $"plain-text bounce, {(hard ? "hard" : "soft")}, by return path";
        return new InboxVerdict(InboxVerdictKind.Feedback, [new InboxFinding(kind, token.Target, diagnostic)], reason);
    }

    /// <summary>The plain text parts, together at most <see cref="ReportText.MaxScan"/> characters.</summary>
    private static string Text(ReportParts parts)
    {
        var text = new System.Text.StringBuilder();
        foreach (var part in parts.PlainText())
        {
            var room = ReportText.MaxScan - text.Length;
            if (room <= 0) break;
            text.Append(ReportText.Read(part, room)).Append('\n');
        }
        return text.ToString();
    }

    private static string OwnWords(string text)
    {
        var end = text.Length;
        foreach (var marker in CopyMarkers)
        {
            var at = text.IndexOf(marker, StringComparison.OrdinalIgnoreCase);
            if (at >= 0 && at < end) end = at;
        }
        return text[..end];
    }

    /// <summary>
    /// A signed return address quoted in the text (the copy of our mail keeps its Return-Path or List-Unsubscribe):
    /// looked for at our return path's and unsubscribe mailbox's local parts followed by <c>+</c>, never by pattern.
    /// </summary>
    private ReturnToken? InText(string text)
    {
        var tried = 0;
        foreach (var local in Locals())
        {
            var prefix = local + "+";
            for (var at = text.IndexOf(prefix, StringComparison.OrdinalIgnoreCase); at >= 0 && tried < MaxTokenCandidates;
                 at = text.IndexOf(prefix, at + prefix.Length, StringComparison.OrdinalIgnoreCase))
            {
                tried++;
                var end = at;
                while (end < text.Length && end - at < 320 && !char.IsWhiteSpace(text[end]) && text[end] is not ('>' or '<' or '"' or ';' or ',' or '?')) end++;
                var token = returns.Read(text[at..end]);
                if (token is not null) return token;
            }
        }
        return null;
    }

    private IEnumerable<string> Locals()
    {
        var mail = options.Value;
        foreach (var configured in new[] { mail.ReturnPath, mail.UnsubscribeMailbox.Length > 0 ? mail.UnsubscribeMailbox : mail.From })
        {
            if (configured.Length == 0 || !MailboxAddress.TryParse(configured, out var mailbox)) continue;
            var at = mailbox.Address.LastIndexOf('@');
            if (at > 0) yield return mailbox.Address[..at];
        }
    }

    /// <summary>Whether the bounce's own words say the failure is permanent, and the line that says so.</summary>
    internal static (bool Hard, string? Line) Evidence(string text)
    {
        foreach (var word in HardWords)
        {
            var at = text.IndexOf(word, StringComparison.OrdinalIgnoreCase);
            if (at >= 0) return (true, LineAt(text, at));
        }
        var code = PermanentCode(text);
        return code >= 0 ? (true, LineAt(text, code)) : (false, null);
    }

    /// <summary>Where a 5.x.x enhanced status code or a 55x SMTP reply stands as a word, or -1: one pass, no backtracking.</summary>
    private static int PermanentCode(string text)
    {
        for (var i = 0; i + 3 < text.Length; i++)
        {
            if (text[i] != '5') continue;
            var before = i == 0 ? ' ' : text[i - 1];
            if (char.IsLetterOrDigit(before) || before is '.' or '-' or '_') continue;
            if (text[i + 1] == '.' && EnhancedTail(text, i + 2)) return i;
            if (text[i + 1] == '5' && char.IsAsciiDigit(text[i + 2]) && text[i + 3] is ' ' or '-') return i;
        }
        return -1;
    }

    // "1.1" of "5.1.1": one to three digits, a dot, one to three digits, and then no more digits.
    private static bool EnhancedTail(string text, int i)
    {
        var digits = 0;
        while (i < text.Length && char.IsAsciiDigit(text[i]) && digits < 4) { i++; digits++; }
        if (digits is 0 or > 3 || i >= text.Length || text[i] != '.') return false;
        i++;
        digits = 0;
        while (i < text.Length && char.IsAsciiDigit(text[i]) && digits < 4) { i++; digits++; }
        if (digits is 0 or > 3) return false;
        return i >= text.Length || !(char.IsAsciiDigit(text[i]) || (text[i] == '.' && i + 1 < text.Length && char.IsAsciiDigit(text[i + 1])));
    }

    private static string LineAt(string text, int at)
    {
        var start = at == 0 ? 0 : text.LastIndexOf('\n', at - 1) + 1;
        var end = text.IndexOf('\n', at);
        return text[start..(end < 0 ? text.Length : end)];
    }
}

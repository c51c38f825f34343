using Blog.Feedback;
using Blog.Mail;
using MimeKit;

namespace Blog.Inbox;

/// <summary>
/// Bounces that are not RFC 3464 reports: plain text from older or simpler MTAs (qmail's "failure notice", old Exim's
/// "Mail delivery failed", Exchange's and others' "Undeliverable" text). Their wording is free, so they are acted on
/// only when a signed return path names the subscriber; an address written in the text is never trusted, as anyone
/// can write one, and a List-Unsubscribe token names no delivery. The guess is conservative: hard only for a clear
/// permanent failure of the address (a 5.x.x code that blames it, see <see cref="BounceStatus"/>; a 55x reply; "user
/// unknown" and its like; "This is a permanent error", as qmail and Exim say), soft otherwise, and soft for a full
/// mailbox whatever code it comes with. Delay warnings are ignored, as for reports.
/// <para>
/// A mail system's sender alone does not make a bounce: quarantine digests, "held for review" and relay notices come
/// from postmaster too. It takes a bounce subject, <c>X-Failed-Recipients</c>, or a failure code or phrase in the
/// bounce's own words (not in its copy of our mail).
/// </para>
/// </summary>
internal sealed class LegacyBounceRule(ReportTargets targets, ReturnAddress returns, IOptions<MailOptions> options)
{
    private static readonly string[] BounceSubjects =
    [
        "undelivered mail", "undeliverable", "delivery status notification", "returned mail", "failure notice",
        "mail delivery failed", "delivery failure", "delivery has failed", "could not be delivered", "non-delivery",
        "nondeliverable", "mail system error",
    ];

    /// <summary>How delay warnings' subjects begin. Only the start counts: after it a bounce quotes our subject, which could say "Delayed".</summary>
    private static readonly string[] DelaySubjects =
    [
        "delayed mail", "delivery delayed", "mail delivery delayed", "delivery status notification (delay)", "warning: could not send",
        "warning: message", "delay notification", "delivery delay notification",
    ];

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
        "recipient not found", "unknown recipient", "invalid recipient", "recipientnotfound", "this is a permanent error", "failed permanently",
    ];

    /// <summary>A full mailbox is temporary, whatever code a server sends with it (many send 552 or 5.x.x).</summary>
    private static readonly string[] SoftWords = ["over quota", "mailbox full", "quota exceeded", "mailbox is full", "exceeded storage", "insufficient storage"];

    /// <summary>Words only a failure notice uses: evidence of a bounce, not of whether it is hard.</summary>
    private static readonly string[] FailureWords =
    [
        "could not be delivered", "couldn't be delivered", "was not delivered", "wasn't delivered", "not be delivered", "undeliverable",
        "undelivered", "delivery failed", "delivery has failed", "delivery failure", "unable to deliver", "address(es) failed",
        "permanent error", "temporary error", "given up", "giving up",
    ];

    private const int MaxTokenCandidates = 20;

    public InboxVerdict? Classify(MimeMessage message, ReportParts parts)
    {
        var subject = message.Subject is { } s ? (s.Length > 300 ? s[..300] : s) : "";
        var saysFailed = message.Headers.Contains("X-Failed-Recipients")
            || BounceSubjects.Any(b => subject.Contains(b, StringComparison.OrdinalIgnoreCase));
        if (!saysFailed && !BounceSender.IsDeliverySystem(message)) return null;
        var trimmed = subject.TrimStart();
        if (DelaySubjects.Any(d => trimmed.StartsWith(d, StringComparison.OrdinalIgnoreCase))) return InboxVerdict.Ignored("plain-text delay warning: not a bounce");

        var text = Text(parts);
        var own = OwnWords(text);
        var (hard, evidence) = Evidence(own);
        if (!saysFailed && evidence is null) return InboxVerdict.Unhandled("mail-system notice without a failure in its own words: not a bounce");

        var token = targets.Envelope(message.Headers, ReturnAddress.Digest, ReturnAddress.Mail)
            ?? parts.Entities.OfType<MessagePart>().Select(p => targets.Returned(p.Message?.Headers)).FirstOrDefault(t => t is not null)
            ?? InText(text);
        if (token is null) return InboxVerdict.Unhandled("plain-text bounce with no signed return path: not acted on");

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
    /// A signed return path quoted in the text (the copy of our mail keeps its Return-Path): looked for at our return
    /// path's local part followed by <c>+</c>, never by pattern. Unsubscribe tokens are not read: they name no delivery.
    /// </summary>
    private ReturnToken? InText(string text)
    {
        var configured = options.Value.ReturnPath;
        if (configured.Length == 0 || !MailboxAddress.TryParse(configured, out var mailbox)) return null;
        var local = mailbox.Address.LastIndexOf('@') is var at and > 0 ? mailbox.Address[..at] : null;
        if (local is null) return null;
        var prefix = local + "+";
        var tried = 0;
        for (var start = text.IndexOf(prefix, StringComparison.OrdinalIgnoreCase); start >= 0 && tried < MaxTokenCandidates;
             start = text.IndexOf(prefix, start + prefix.Length, StringComparison.OrdinalIgnoreCase))
        {
            tried++;
            var end = start;
            while (end < text.Length && end - start < 320 && !char.IsWhiteSpace(text[end]) && text[end] is not ('>' or '<' or '"' or ';' or ',' or '?')) end++;
            if (returns.Read(text[start..end]) is { Kind: ReturnAddress.Digest or ReturnAddress.Mail } token) return token;
        }
        return null;
    }

    /// <summary>
    /// What the bounce's own words say: hard, and the line that says so; soft with the line, when they show a failure
    /// that is not the address's fault for good; no line, when they show no failure at all. In order: a full mailbox
    /// (soft whatever its code), the first enhanced status code (it says most), words that blame the address, a 55x
    /// reply, then any other failure code or phrase.
    /// </summary>
    internal static (bool Hard, string? Line) Evidence(string text)
    {
        if (IndexOfAny(text, SoftWords) is var soft and >= 0) return (false, LineAt(text, soft));
        var (enhanced, replyCode, replyAt) = Codes(text);
        if (enhanced >= 0) return (text[enhanced] == '5' && BounceStatus.IsPermanent(EnhancedCode(text, enhanced)), LineAt(text, enhanced));
        if (IndexOfAny(text, HardWords) is var hard and >= 0) return (true, LineAt(text, hard));
        if (replyAt >= 0) return (replyCode == '5', LineAt(text, replyAt));
        return IndexOfAny(text, FailureWords) is var failure and >= 0 ? (false, LineAt(text, failure)) : (false, null);
    }

    private static int IndexOfAny(string text, string[] words)
    {
        var first = -1;
        foreach (var word in words)
        {
            var at = text.IndexOf(word, StringComparison.OrdinalIgnoreCase);
            if (at >= 0 && (first < 0 || at < first)) first = at;
        }
        return first;
    }

    /// <summary>
    /// Where the first 4.x.x or 5.x.x enhanced status code stands as a word, and the first SMTP reply code that counts:
    /// a 55x (permanent) or else the first other 4xx or 5xx, followed by a space, <c>-</c> or <c>:</c> (Yahoo and qmail
    /// write <c>554:</c>). One pass, no backtracking.
    /// </summary>
    private static (int Enhanced, char ReplyClass, int ReplyAt) Codes(string text)
    {
        var replyAt = -1;
        var replyClass = ' ';
        for (var i = 0; i + 3 < text.Length; i++)
        {
            if (text[i] is not ('4' or '5')) continue;
            var before = i == 0 ? ' ' : text[i - 1];
            if (char.IsLetterOrDigit(before) || before is '.' or '-' or '_') continue;
            if (text[i + 1] == '.' && EnhancedTail(text, i + 2)) return (i, replyClass, replyAt);
            var reply = char.IsAsciiDigit(text[i + 1]) && char.IsAsciiDigit(text[i + 2]) && text[i + 3] is ' ' or '-' or ':';
            if (!reply) continue;
            var permanent = text[i] == '5' && text[i + 1] == '5';
            if (replyAt < 0 || (permanent && replyClass != '5'))
            {
                replyAt = i;
                replyClass = permanent ? '5' : '4';
            }
        }
        return (-1, replyClass, replyAt);
    }

    private static string EnhancedCode(string text, int at)
    {
        var end = at + 2;
        while (end < text.Length && (char.IsAsciiDigit(text[end]) || (text[end] == '.' && end + 1 < text.Length && char.IsAsciiDigit(text[end + 1])))) end++;
        return text[at..end];
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

using System.Globalization;
using Blog.Feedback;
using MimeKit;

namespace Blog.Inbox;

/// <summary>
/// RFC 3464 delivery status notifications (<c>multipart/report; report-type=delivery-status</c>), what Postfix, Exim,
/// Exchange, Gmail and the providers send. A recipient whose Action is <c>failed</c> bounced: hard for a 5.x.x
/// Status, soft otherwise. <c>delayed</c> is not counted, as most list managers do: the server is still trying, and
/// either delivers in the end or sends a <c>failed</c> report, which counts then; counting the warning too would
/// count one trouble twice. <c>delivered</c>, <c>relayed</c> and <c>expanded</c> are not bounces.
/// </summary>
internal sealed class DeliveryReportRule(ReportTargets targets)
{
    /// <summary>Recipients read from one report; a genuine one names one (ours go to one recipient each), rarely a few.</summary>
    public const int MaxRecipients = 100;

    /// <summary>The status part is parsed whole by MimeKit; a genuine one is a few hundred bytes a recipient.</summary>
    private const long MaxStatusBytes = 256 * 1024;

    public InboxVerdict? Classify(MimeMessage message, ReportParts parts)
    {
        var report = parts.Report("delivery-status") ?? parts.Report("global-delivery-status");
        if (report is null) return null;
        var status = report.OfType<MessageDeliveryStatus>().FirstOrDefault();
        if (status is null) return InboxVerdict.Unhandled("malformed: RFC 3464 report without a message/delivery-status part");
        if (status.Content?.Stream is { CanSeek: true, Length: > MaxStatusBytes }) return InboxVerdict.Unhandled("malformed: RFC 3464 status part too large");
        var groups = status.StatusGroups;
        if (groups.Count < 2) return InboxVerdict.Unhandled("malformed: RFC 3464 report names no recipient");

        var perMessage = groups[0];
        var returned = ReportParts.Returned(report);
        // The report is delivered to the return path of the mail it is about: bounces+{token}@…, which the receiving
        // server wrote into Delivered-To and the like, and the reporting server into the report's To.
        var token = targets.Envelope(message.Headers, ReturnAddress.Digest, ReturnAddress.Mail)
            ?? targets.InField(ReportText.Header(perMessage, "X-Postfix-Sender"), ReturnAddress.Digest, ReturnAddress.Mail)
            ?? EnvelopeId(ReportText.Header(perMessage, "Original-Envelope-Id"))
            ?? targets.Returned(returned);
        var messageId = ReportTargets.MessageId(returned);

        var failed = new List<(FeedbackKind Kind, string? Address, string Status, string Diagnostic)>();
        var actions = new SortedSet<string>(StringComparer.Ordinal);
        for (var i = 1; i < groups.Count && i <= MaxRecipients; i++)
        {
            var recipient = groups[i];
            var action = FirstWord(ReportText.Header(recipient, "Action", 100))?.ToLowerInvariant();
            if (action is null) continue;
            actions.Add(action);
            if (action != "failed") continue;
            var code = StatusCode(ReportText.Header(recipient, "Status", 200));
            var diagnostic = DiagnosticText(ReportText.Header(recipient, "Diagnostic-Code", 4000));
            var hard = code is not null ? code[0] == '5' : SmtpClass(diagnostic) == '5';
            var address = ReportTargets.Address(ReportText.Header(recipient, "Original-Recipient", 400))
                ?? ReportTargets.Address(ReportText.Header(recipient, "Final-Recipient", 400));
            failed.Add((hard ? FeedbackKind.HardBounce : FeedbackKind.SoftBounce, address, code ?? "", ReportText.Clean($"{code} {diagnostic}")));
        }

        if (failed.Count == 0)
        {
            return actions.Count == 0
                ? InboxVerdict.Unhandled("malformed: RFC 3464 report without an Action")
                : InboxVerdict.Ignored($"RFC 3464 report, {string.Join('/', actions)}: not a bounce");
        }

        // A signed return path or our Message-ID names one delivery to one subscriber (each of our mails has one
        // recipient): several failed recipients there are one address forwarded to several mailboxes, and count once,
        // as the worst of them. Without either, each recipient is its own finding, by address.
        if (token is not null || messageId is not null)
        {
            var worst = failed.FirstOrDefault(f => f.Kind == FeedbackKind.HardBounce);
            if (worst == default) worst = failed[0];
            var target = (token?.Target ?? new FeedbackTarget()) with { MessageId = messageId, Address = worst.Address };
            return Verdict([new InboxFinding(worst.Kind, target, worst.Diagnostic)], worst.Status, token is not null ? "return path" : "Message-ID");
        }
        var findings = failed.Where(f => f.Address is not null)
            .Select(f => new InboxFinding(f.Kind, new FeedbackTarget(Address: f.Address), f.Diagnostic))
            .ToImmutableArray();
        return findings.IsEmpty
            ? InboxVerdict.Unhandled("RFC 3464 report names no recipient we can match")
            : Verdict(findings, failed[0].Status, "recipient address");
    }

    private static InboxVerdict Verdict(ImmutableArray<InboxFinding> findings, string status, string by)
    {
        var what = findings.Length == 1 ? (status.Length > 0 ? status : "no status") : $"{findings.Length} failed recipients";
        return new InboxVerdict(InboxVerdictKind.Feedback, findings, $"RFC 3464 report, {what}, by {by}");
    }

    /// <summary>An enhanced status code (RFC 3463: class.subject.detail), or null when the field holds none.</summary>
    internal static string? StatusCode(string? value)
    {
        var word = FirstWord(value);
        if (word is null) return null;
        var pieces = word.Split('.');
        return pieces.Length == 3 && pieces[0] is "2" or "4" or "5"
            && pieces[1].Length is > 0 and <= 3 && pieces[1].All(char.IsAsciiDigit)
            && pieces[2].Length is > 0 and <= 3 && pieces[2].All(char.IsAsciiDigit)
            ? word
            : null;
    }

    /// <summary>The text after the diagnostic's type (<c>smtp; 550 …</c>).</summary>
    private static string DiagnosticText(string? value)
    {
        if (value is null) return "";
        var semicolon = value.IndexOf(';', StringComparison.Ordinal);
        return (semicolon >= 0 && semicolon < 20 ? value[(semicolon + 1)..] : value).Trim();
    }

    /// <summary>The class digit of the SMTP reply a diagnostic starts with (<c>550 …</c>), when it does.</summary>
    private static char? SmtpClass(string diagnostic) =>
        diagnostic.Length >= 4 && diagnostic[0] is '4' or '5' && char.IsAsciiDigit(diagnostic[1]) && char.IsAsciiDigit(diagnostic[2]) && diagnostic[3] is ' ' or '-'
            ? diagnostic[0]
            : null;

    private static string? FirstWord(string? value)
    {
        if (string.IsNullOrWhiteSpace(value)) return null;
        var end = value.AsSpan().IndexOfAny(' ', '\t', '(');
        var word = (end < 0 ? value : value[..end]).Trim();
        return word.Length == 0 ? null : word;
    }

    // An ENVID is xtext (RFC 3461), but some servers return it as it was given: both are read.
    private ReturnToken? EnvelopeId(string? value) =>
        targets.InField(value, ReturnAddress.Digest, ReturnAddress.Mail) ?? targets.InField(XText(value), ReturnAddress.Digest, ReturnAddress.Mail);

    /// <summary>An ENVID decoded from xtext (RFC 3461: <c>+2B</c> is <c>+</c>), so a return address in it can be read.</summary>
    private static string? XText(string? value)
    {
        if (value is null || !value.Contains('+', StringComparison.Ordinal)) return value;
        var decoded = new System.Text.StringBuilder(value.Length);
        for (var i = 0; i < value.Length; i++)
        {
            if (value[i] == '+' && i + 2 < value.Length
                && byte.TryParse(value.AsSpan(i + 1, 2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var b))
            {
                decoded.Append((char)b);
                i += 2;
            }
            else
            {
                decoded.Append(value[i]);
            }
        }
        return decoded.ToString();
    }
}

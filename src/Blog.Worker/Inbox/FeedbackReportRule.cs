using Blog.Feedback;
using MimeKit;

namespace Blog.Inbox;

/// <summary>
/// RFC 5965 feedback reports (<c>multipart/report; report-type=feedback-report</c>), what mailbox providers' feedback
/// loops send when a recipient marks a mail as spam: a complaint. <c>abuse</c>, <c>fraud</c> and <c>other</c> are
/// complaints; <c>not-spam</c> takes one back, and is ignored (nothing to undo: a complaint is final); <c>virus</c>
/// and <c>auth-failure</c> (RFC 6591) are about the sending system, not the recipient's wish, and are left for the
/// owner to read.
/// </summary>
internal sealed class FeedbackReportRule(ReportTargets targets)
{
    private const long MaxFieldsBytes = 64 * 1024;

    public InboxVerdict? Classify(MimeMessage message, ReportParts parts)
    {
        var report = parts.Report("feedback-report");
        if (report is null) return null;
        var feedback = report.OfType<MessageFeedbackReport>().FirstOrDefault();
        if (feedback is null) return InboxVerdict.Unhandled("malformed: RFC 5965 report without a message/feedback-report part");
        if (feedback.Content?.Stream is { CanSeek: true, Length: > MaxFieldsBytes }) return InboxVerdict.Unhandled("malformed: RFC 5965 report part too large");
        var fields = feedback.Fields;
        var type = ReportText.Clean(ReportText.Header(fields, "Feedback-Type", 100), 40).ToLowerInvariant();
        switch (type)
        {
            case "":
                return InboxVerdict.Unhandled("malformed: RFC 5965 report without a Feedback-Type");
            case "not-spam":
                return InboxVerdict.Ignored("RFC 5965 report, not-spam");
            case not ("abuse" or "fraud" or "other"):
                return InboxVerdict.Unhandled($"RFC 5965 report, {type}: not a complaint");
        }

        var returned = ReportParts.Returned(report);
        // Feedback loops often redact the recipient in the returned message, so the signed return path matters most
        // here: in the returned message, in the report's Original-Mail-From, or in where the report was sent to.
        var token = targets.Returned(returned)
            ?? targets.InField(ReportText.Header(fields, "Original-Mail-From", 400), ReturnAddress.Digest, ReturnAddress.Mail)
            ?? targets.Envelope(message.Headers, ReturnAddress.Digest, ReturnAddress.Mail);
        var messageId = ReportTargets.MessageId(returned);
        var address = ReportTargets.Address(ReportText.Header(fields, "Original-Rcpt-To", 400))
            ?? (returned is null ? null : ReportTargets.Address(FirstAddress(ReportText.Header(returned, "To", 1000))));
        if (token is null && messageId is null && address is null) return InboxVerdict.Unhandled("RFC 5965 report names no mail or recipient we can match");

        var target = (token?.Target ?? new FeedbackTarget()) with { MessageId = messageId, Address = address };
        var agent = ReportText.Clean(ReportText.Header(fields, "User-Agent", 200), 100);
        var diagnostic = ReportText.Clean(agent.Length > 0 ? $"{type} ({agent})" : type);
        var by = token is not null ? "return path" : messageId is not null ? "Message-ID" : "recipient address";
        return new InboxVerdict(InboxVerdictKind.Feedback, [new InboxFinding(FeedbackKind.Complaint, target, diagnostic)], $"RFC 5965 report, {type}, by {by}");
    }

    private static string? FirstAddress(string? value) =>
        value is not null && InternetAddressList.TryParse(value, out var list) ? list.Mailboxes.FirstOrDefault()?.Address : null;
}

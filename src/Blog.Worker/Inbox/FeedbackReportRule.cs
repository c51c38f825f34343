using Blog.Feedback;
using MimeKit;

namespace Blog.Inbox;

/// <summary>
/// RFC 5965 feedback reports (<c>multipart/report; report-type=feedback-report</c>), what mailbox providers' feedback
/// loops send when a recipient marks a mail as spam: a complaint. <c>abuse</c>, <c>fraud</c> and <c>other</c> are
/// complaints; <c>not-spam</c> takes one back, and is ignored (nothing to undo: a complaint is final); <c>virus</c>
/// and <c>auth-failure</c> (RFC 6591) are about the sending system, not the recipient's wish, and are left for the
/// owner to read.
/// <para>
/// A complaint unsubscribes for good, so it is made only on what names one delivery: with <c>Mail:ReturnPath</c> set,
/// a verified return-path token alone; without it, the Message-ID of the returned mail, alone. Never on an address
/// the report names: anyone can write a report naming anyone.
/// </para>
/// </summary>
internal sealed class FeedbackReportRule(ReportTargets targets)
{
    private const long MaxFieldsBytes = 64 * 1024;

    public InboxVerdict? Classify(MimeMessage message, ReportParts parts)
    {
        var report = parts.Report<MessageFeedbackReport>("feedback-report");
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
        if (token is null && targets.Required) return InboxVerdict.Unhandled("RFC 5965 report with no signed return path: not acted on");
        var messageId = token is null ? ReportTargets.MessageId(returned) : null;
        if (token is null && messageId is null) return InboxVerdict.Unhandled("RFC 5965 report names no mail we sent: a complaint is never made on an address alone");

        var target = token?.Target ?? new FeedbackTarget(MessageId: messageId);
        var agent = ReportText.Clean(ReportText.Header(fields, "User-Agent", 200), 100);
        var diagnostic = ReportText.Clean(agent.Length > 0 ? $"{type} ({agent})" : type);
        var by = token is not null ? "return path" : "Message-ID";
        return new InboxVerdict(InboxVerdictKind.Feedback, [new InboxFinding(FeedbackKind.Complaint, target, diagnostic)], $"RFC 5965 report, {type}, by {by}");
    }
}

using Blog.Feedback;
using MimeKit;

namespace Blog.Inbox;

/// <summary>
/// Complaints from feedback loops that send no RFC 5965 part: Microsoft's JMRP (Outlook.com, Hotmail) and its like
/// send a multipart/mixed with a short notice and the complained-of mail attached as message/rfc822. Told by JMRP's
/// marks (its subject, its <c>X-HmXmrOriginalRecipient</c> header, "This is an email abuse report"), and acted on only
/// when the attached mail carries a verified return-path token: there is nothing else in it a complaint can trust, and
/// a person forwarding our digest as an attachment is no complaint.
/// </summary>
internal sealed class ForwardedReportRule(ReportTargets targets)
{
    private const int MaxNoticeChars = 2000;

    public InboxVerdict? Classify(MimeMessage message)
    {
        if (message.Body is not Multipart body || body is MultipartReport) return null;
        var attached = body.Take(ReportParts.MaxParts).OfType<MessagePart>().Select(p => p.Message).FirstOrDefault(m => m is not null);
        if (attached is null || !FromFeedbackLoop(message, body, attached)) return null;
        if (targets.Returned(attached.Headers) is not { } token) return InboxVerdict.Unhandled("feedback-loop complaint (mail attached) with no signed return path: not acted on");
        var reporter = ReportText.Clean(message.From.Mailboxes.FirstOrDefault()?.Address, 100);
        var diagnostic = reporter.Length > 0 ? $"abuse ({reporter})" : "abuse";
        return new InboxVerdict(InboxVerdictKind.Feedback, [new InboxFinding(FeedbackKind.Complaint, token.Target, diagnostic)], "feedback-loop complaint (mail attached), by return path");
    }

    private static bool FromFeedbackLoop(MimeMessage message, Multipart body, MimeMessage attached)
    {
        if (message.Subject is { } subject && subject.TrimStart().StartsWith("complaint about message from", StringComparison.OrdinalIgnoreCase)) return true;
        if (attached.Headers.Contains("X-HmXmrOriginalRecipient")) return true;
        var notice = body.Take(ReportParts.MaxParts).OfType<TextPart>().FirstOrDefault(p => p.IsPlain && !p.IsAttachment);
        return notice is not null && ReportText.Read(notice, MaxNoticeChars).Contains("this is an email abuse report", StringComparison.OrdinalIgnoreCase);
    }
}

using MimeKit;

namespace Blog.Inbox;

/// <summary>
/// RFC 3834 auto-replies: vacation and out-of-office answers, ticket systems' "we got your mail". Handled and ignored,
/// never a bounce: the address works, its owner is away. Told by the headers auto-responders set; a subject such as
/// "Out of Office" counts only beside one of them (Exchange's <c>X-Auto-Response-Suppress</c>), never alone, so a
/// person's mail that happens to say "Auto:" is left for the owner. A mail system's bounce with the same headers
/// is not an auto-reply (<see cref="BounceSender"/>).
/// </summary>
internal static class AutoReplyRule
{
    private static readonly string[] Precedences = ["auto_reply", "bulk", "junk"];
    private static readonly string[] Subjects = ["out of office", "out of the office", "automatic reply", "auto:", "autoreply", "auto-reply", "auto reply", "vacation", "away from"];

    public static InboxVerdict? Classify(MimeMessage message)
    {
        if (BounceSender.IsDeliverySystem(message)) return null;
        var headers = message.Headers;
        var submitted = ReportText.Header(headers, "Auto-Submitted", 200);
        if (submitted is not null)
        {
            var value = submitted.Split(';', 2)[0].Split('(', 2)[0].Trim().ToLowerInvariant();
            if (value.Length > 0 && value != "no") return Ignored($"Auto-Submitted: {ReportText.Clean(value, 40)}");
        }
        if (ReportText.Header(headers, "X-Autoreply", 200) is not null) return Ignored("X-Autoreply");
        if (ReportText.Header(headers, "X-Autorespond", 200) is not null) return Ignored("X-Autorespond");
        if (ReportText.Header(headers, "X-Auto-Reply", 200) is not null) return Ignored("X-Auto-Reply");
        var precedence = ReportText.Header(headers, "Precedence", 200)?.ToLowerInvariant();
        if (precedence is not null && Precedences.Contains(precedence)) return Ignored($"Precedence: {precedence}");
        var suppress = ReportText.Header(headers, "X-Auto-Response-Suppress", 200);
        if (suppress is not null && AutoSubject(message.Subject)) return Ignored("X-Auto-Response-Suppress and an auto-reply subject");
        return null;
    }

    private static bool AutoSubject(string? subject)
    {
        if (string.IsNullOrEmpty(subject)) return false;
        var head = subject.Length > 200 ? subject[..200] : subject;
        return Subjects.Any(s => head.Contains(s, StringComparison.OrdinalIgnoreCase));
    }

    private static InboxVerdict Ignored(string why) => InboxVerdict.Ignored($"RFC 3834 auto-reply ({why})");
}

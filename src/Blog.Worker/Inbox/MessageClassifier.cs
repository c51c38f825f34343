using Blog.Feedback;
using Blog.Mail;
using MimeKit;

namespace Blog.Inbox;

/// <summary>
/// Tells what a message in the return mailbox is: a delivery report (RFC 3464), a feedback report (RFC 5965), an
/// auto-reply (RFC 3834), an older MTA's plain-text bounce, a request to the List-Unsubscribe mailto, or none of
/// these. A pure function of the message and the settings.
/// <para>
/// The order matters. Reports come first, as their structure says what they are (and a DSN carries
/// <c>Auto-Submitted</c> too, as RFC 3464 asks); then auto-replies, so a vacation reply whose subject quotes a bounce
/// is never taken for one; then plain-text bounces, told by wording; then unsubscribe requests.
/// </para>
/// </summary>
public sealed class MessageClassifier
{
    private readonly DeliveryReportRule deliveryReports;
    private readonly FeedbackReportRule feedbackReports;
    private readonly LegacyBounceRule legacyBounces;
    private readonly UnsubscribeRequestRule unsubscribes;

    public MessageClassifier(ReturnAddress returns, IOptions<MailOptions> options)
    {
        var targets = new ReportTargets(returns);
        deliveryReports = new DeliveryReportRule(targets);
        feedbackReports = new FeedbackReportRule(targets);
        legacyBounces = new LegacyBounceRule(targets, returns, options);
        unsubscribes = new UnsubscribeRequestRule(targets, options);
    }

    /// <summary>Never throws on what a message holds: a message it cannot read is <see cref="InboxVerdictKind.Unhandled"/>, "malformed: …".</summary>
    public InboxVerdict Classify(MimeMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        try
        {
            var parts = ReportParts.Walk(message, out var problem);
            if (parts is null) return InboxVerdict.Unhandled($"malformed: {problem}");
            return deliveryReports.Classify(message, parts)
                ?? feedbackReports.Classify(message, parts)
                ?? AutoReplyRule.Classify(message)
                ?? legacyBounces.Classify(message, parts)
                ?? unsubscribes.Classify(message)
                ?? InboxVerdict.Unhandled("not a report, an auto-reply or an unsubscribe request");
        }
        catch (Exception e) when (e is FormatException or ParseException or ArgumentException or InvalidOperationException
            or IOException or NotSupportedException or OverflowException or System.Text.DecoderFallbackException)
        {
            // A hostile or broken message must not stop a pass: it is left for the owner, and counted.
            return InboxVerdict.Unhandled($"malformed: {e.GetType().Name}");
        }
    }
}

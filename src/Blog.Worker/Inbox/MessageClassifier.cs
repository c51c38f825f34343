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
/// <c>Auto-Submitted</c> too, as RFC 3464 asks), then feedback loops' forwarded complaints; then mail to a verified
/// <c>unsubscribe+{token}@</c> address, which no auto-responder writes to (and some clients mark a mailto unsubscribe
/// as automatic); then auto-replies, so a vacation reply whose subject quotes a bounce is never taken for one; then
/// plain-text bounces, told by wording; then unsubscribe requests by subject.
/// </para>
/// <para>
/// With <c>Mail:ReturnPath</c> set, a bounce or complaint is acted on only by its verified return-path token, and
/// then by nothing else it says: the token names one delivery, while anything else in a report could be written by
/// anyone.
/// </para>
/// </summary>
public sealed class MessageClassifier
{
    private readonly DeliveryReportRule deliveryReports;
    private readonly FeedbackReportRule feedbackReports;
    private readonly ForwardedReportRule forwardedReports;
    private readonly LegacyBounceRule legacyBounces;
    private readonly UnsubscribeRequestRule unsubscribes;
    private readonly MessageIdMint mint;

    public MessageClassifier(ReturnAddress returns, MessageIdMint mint, IOptions<MailOptions> options)
    {
        this.mint = mint;
        var targets = new ReportTargets(returns);
        deliveryReports = new DeliveryReportRule(targets);
        feedbackReports = new FeedbackReportRule(targets);
        forwardedReports = new ForwardedReportRule(targets);
        legacyBounces = new LegacyBounceRule(targets, returns, options);
        unsubscribes = new UnsubscribeRequestRule(targets, options);
    }

    /// <summary>
    /// Never throws on what a message holds: a message it cannot read, whatever fails in reading it, is
    /// <see cref="InboxVerdictKind.Unhandled"/>, "malformed: …". Only cancellation passes.
    /// </summary>
    public InboxVerdict Classify(MimeMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        try
        {
            var parts = ReportParts.Walk(message, out var problem);
            if (parts is null) return InboxVerdict.Unhandled($"malformed: {problem}");
            return Vouch(deliveryReports.Classify(message, parts)
                ?? feedbackReports.Classify(message, parts)
                ?? forwardedReports.Classify(message)
                ?? unsubscribes.ByToken(message)
                ?? AutoReplyRule.Classify(message)
                ?? legacyBounces.Classify(message, parts)
                ?? unsubscribes.BySubject(message)
                ?? InboxVerdict.Unhandled("not a report, an auto-reply or an unsubscribe request"));
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // A hostile or broken message must not stop a pass, whatever it makes fail (a parser's or a stream's own
            // exception types are not all known): it is left for the owner, and counted.
            return InboxVerdict.Unhandled($"malformed: {e.GetType().Name}");
        }
    }

    /// <summary>
    /// A finding matched by a Message-ID we minted is vouched for (its tag cannot be guessed), so a complaint on it is
    /// final; one matched by a guessable id from before tags, or by an address, is not (the store takes such a
    /// complaint as an unsubscribe). A signed return path's subscriber id is trusted by the store in any case.
    /// </summary>
    private InboxVerdict Vouch(InboxVerdict verdict) =>
        verdict.Findings.Any(f => mint.Vouch(f.Target) is not null)
            ? verdict with { Findings = [.. verdict.Findings.Select(f => mint.Vouch(f.Target) is { } vouched ? f with { Target = vouched } : f)] }
            : verdict;
}

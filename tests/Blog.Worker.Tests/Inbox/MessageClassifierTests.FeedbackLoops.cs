using Blog.Feedback;
using Blog.Inbox;

namespace Blog.Tests.Inbox;

/// <summary>Complaints as the big mailbox providers send them: Yahoo's ARF, Microsoft's JMRP (the original attached, no report part).</summary>
public sealed partial class MessageClassifierTests
{
    [Fact]
    public void A_Yahoo_feedback_report_is_a_complaint_by_its_return_path()
    {
        var verdict = Classify("yahoo-arf.eml");

        var finding = Single(verdict);
        Assert.Equal(FeedbackKind.Complaint, finding.Kind);
        Assert.Equal(DigestTarget, finding.Target);
        Assert.Equal("abuse (Yahoo!-Mail-Feedback/2.0)", finding.Diagnostic);
    }

    [Fact]
    public void A_Microsoft_JMRP_complaint_is_a_complaint_by_the_attached_mails_return_path()
    {
        var verdict = Classify("jmrp-complaint.eml");

        var finding = Single(verdict);
        Assert.Equal(FeedbackKind.Complaint, finding.Kind);
        Assert.Equal(DigestTarget, finding.Target);
    }

    [Fact]
    public void A_JMRP_complaint_without_a_genuine_return_path_is_unhandled()
    {
        // Its List-Unsubscribe token stays genuine: it names whoever was forwarded the mail, not a delivery.
        var text = Fill("jmrp-complaint.eml").Replace(returns.ForDigest(42, RunKey)!.Address, returns.ForDigest(42, RunKey)!.Address.Replace("-", "-x", StringComparison.Ordinal), StringComparison.Ordinal);

        Assert.Equal(InboxVerdictKind.Unhandled, Classify(Parse(text)).Kind);
        Assert.Equal(InboxVerdictKind.Unhandled, ClassifyWithoutVerp(Parse(text)).Kind);
    }

    [Fact]
    public void Our_digest_forwarded_as_an_attachment_by_a_person_is_no_complaint()
    {
        var text = Fill("jmrp-complaint.eml")
            .Replace("From: staff@hotmail.example", "From: Reader <reader@example.net>", StringComparison.Ordinal)
            .Replace("Subject: complaint about message from 198.51.100.7", "Subject: Fwd: New on the blog", StringComparison.Ordinal)
            .Replace("This is an email abuse report", "Look at this, an interesting report", StringComparison.Ordinal)
            .Replace("X-HmXmrOriginalRecipient: <redacted@outlook.example>\n", "", StringComparison.Ordinal);

        Assert.Equal(InboxVerdictKind.Unhandled, Classify(Parse(text)).Kind);
    }
}

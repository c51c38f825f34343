using Blog.Feedback;
using Blog.Inbox;

namespace Blog.Tests.Inbox;

/// <summary>A mail system's notice is a bounce only with evidence of a failure, not for who sent it.</summary>
public sealed partial class MessageClassifierTests
{
    [Theory]
    [InlineData("Message held for review", "Your message to list@example.org is being held until the list moderator can review it for approval.")]
    [InlineData("Quarantine summary", "1 message has been quarantined for you. Release it from the portal.")]
    [InlineData("Relay notice", "Your message was successfully relayed to a host that does not send delivery notifications.")]
    public void A_mail_system_notice_without_a_failure_is_not_a_bounce(string subject, string body)
    {
        var verdict = Classify(Plain("MAILER-DAEMON@relay.example.org", returns.ForDigest(42, RunKey)!.Address, subject, body));

        Assert.Equal(InboxVerdictKind.Unhandled, verdict.Kind);
        Assert.Empty(verdict.Findings);
    }

    [Theory]
    [InlineData("Notice", "<reader@example.net>: 550 5.1.1 user unknown", FeedbackKind.HardBounce)]
    [InlineData("Notice", "Your message could not be delivered: the connection timed out.", FeedbackKind.SoftBounce)]
    [InlineData("Notice", "<reader@example.net>: 451 4.4.1 try again later", FeedbackKind.SoftBounce)]
    [InlineData("Returned mail: see transcript for details", "Something happened.", FeedbackKind.SoftBounce)]
    public void A_mail_system_notice_with_a_failure_in_its_own_words_or_subject_is_a_bounce(string subject, string body, FeedbackKind kind)
    {
        var verdict = Classify(Plain("MAILER-DAEMON@relay.example.org", returns.ForDigest(42, RunKey)!.Address, subject, body));

        Assert.Equal(kind, Single(verdict).Kind);
    }

    [Fact]
    public void X_Failed_Recipients_is_evidence_of_a_failure()
    {
        var message = Plain("MAILER-DAEMON@relay.example.org", returns.ForDigest(42, RunKey)!.Address, "Notice", "See above.");
        message.Headers.Add("X-Failed-Recipients", "reader@example.net");

        Assert.Equal(FeedbackKind.SoftBounce, Single(Classify(message)).Kind);
    }

    [Fact]
    public void A_failure_only_in_the_returned_copy_is_no_evidence()
    {
        var body = "Your message was relayed.\n\n--- Below this line is a copy of the message.\n\nSubject: 550 5.1.1 user unknown\n\nundeliverable";
        var verdict = Classify(Plain("MAILER-DAEMON@relay.example.org", returns.ForDigest(42, RunKey)!.Address, "Relay notice", body));

        Assert.Equal(InboxVerdictKind.Unhandled, verdict.Kind);
    }
}

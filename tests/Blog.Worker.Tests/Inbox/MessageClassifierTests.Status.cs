using Blog.Feedback;
using Blog.Inbox;

namespace Blog.Tests.Inbox;

/// <summary>A 5.x.x status is the address's fault only where it says so: policy, system and network failures are soft.</summary>
public sealed partial class MessageClassifierTests
{
    [Theory]
    [InlineData("5.1.1", FeedbackKind.HardBounce)]
    [InlineData("5.1.10", FeedbackKind.HardBounce)]
    [InlineData("5.2.1", FeedbackKind.HardBounce)]
    [InlineData("5.0.0", FeedbackKind.HardBounce)]
    [InlineData("5.7.1", FeedbackKind.SoftBounce)]
    [InlineData("5.7.26", FeedbackKind.SoftBounce)]
    [InlineData("5.3.0", FeedbackKind.SoftBounce)]
    [InlineData("5.4.4", FeedbackKind.SoftBounce)]
    [InlineData("5.4.7", FeedbackKind.SoftBounce)]
    [InlineData("5.2.2", FeedbackKind.SoftBounce)]
    [InlineData("4.1.1", FeedbackKind.SoftBounce)]
    public void A_reports_status_class_and_subject_say_whether_the_bounce_is_hard(string status, FeedbackKind kind)
    {
        var text = Fill("postfix-dsn.eml").Replace("Status: 5.1.1", $"Status: {status}", StringComparison.Ordinal);

        Assert.Equal(kind, Single(Classify(Parse(text))).Kind);
    }

    [Theory]
    [InlineData("550 5.1.1 user unknown", true)]
    [InlineData("550 5.7.1 Service unavailable; client host [192.0.2.1] blocked using zen.spamhaus.example", false)]
    [InlineData("550 5.7.26 Unauthenticated email is not accepted from this domain", false)]
    [InlineData("554 5.4.7 delivery time expired", false)]
    [InlineData("552 5.2.2 mailbox full", false)]
    [InlineData("(#5.1.1)", true)]
    [InlineData("(#5.3.0)", false)]
    public void A_plain_text_bounces_enhanced_code_decides_like_a_reports(string words, bool hard)
    {
        Assert.Equal(hard, LegacyBounceRule.Evidence(words).Hard);
    }
}

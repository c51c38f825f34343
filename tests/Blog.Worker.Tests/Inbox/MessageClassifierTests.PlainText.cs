using Blog.Feedback;
using Blog.Inbox;

namespace Blog.Tests.Inbox;

/// <summary>Plain-text bounces: their own words, and only their own subject prefix, say what happened.</summary>
public sealed partial class MessageClassifierTests
{
    [Theory]
    [InlineData("554: delivery error: dd This user doesn't have a yahoo.com account", true)]
    [InlineData("550: mailbox unavailable", true)]
    [InlineData("This is a permanent error. The following address(es) failed:", true)]
    [InlineData("This is a permanent error; I've given up.", true)]
    [InlineData("550 5.1.1 over quota", false)]
    [InlineData("552 Mailbox full", false)]
    [InlineData("554 quota exceeded", false)]
    [InlineData("User unknown? No: the mailbox is over quota", false)]
    [InlineData("retry timeout exceeded", false)]
    [InlineData("5501 things", false)]
    public void The_bounces_own_words_say_hard_or_soft(string words, bool hard)
    {
        Assert.Equal(hard, LegacyBounceRule.Evidence(words).Hard);
    }

    [Fact]
    public void A_Yahoo_bounce_is_hard_by_its_return_path()
    {
        var finding = Single(Classify("yahoo-bounce.eml"));

        Assert.Equal(FeedbackKind.HardBounce, finding.Kind);
        Assert.Equal(DigestTarget, finding.Target);
        Assert.StartsWith("554: delivery error: dd This user doesn't have a yahoo.example account", finding.Diagnostic, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Undeliverable: Delayed flights digest", InboxVerdictKind.Feedback)]
    [InlineData("failure notice (Re: still being retried)", InboxVerdictKind.Feedback)]
    [InlineData("Delayed Mail (still being retried)", InboxVerdictKind.Ignored)]
    [InlineData("Delivery Status Notification (Delay)", InboxVerdictKind.Ignored)]
    [InlineData("Delivery delayed:New on the blog", InboxVerdictKind.Ignored)]
    [InlineData("Warning: could not send message for past 4 hours", InboxVerdictKind.Ignored)]
    [InlineData("Warning: message 1Nq2ab-0001xy-AB delayed 24 hours", InboxVerdictKind.Ignored)]
    public void Only_the_bounces_own_subject_says_it_is_a_delay(string subject, InboxVerdictKind kind)
    {
        var text = Fill("qmail-bounce.eml").Replace("Subject: failure notice", $"Subject: {subject}", StringComparison.Ordinal);

        Assert.Equal(kind, Classify(Parse(text)).Kind);
    }

    [Fact]
    public void An_old_Exim_bounce_saying_it_is_permanent_is_hard()
    {
        var text = Fill("exim-legacy-soft-bounce.eml").Replace("recipients. The following", "recipients. This is a permanent error. The following", StringComparison.Ordinal);

        Assert.Equal(FeedbackKind.HardBounce, Single(Classify(Parse(text))).Kind);
    }
}

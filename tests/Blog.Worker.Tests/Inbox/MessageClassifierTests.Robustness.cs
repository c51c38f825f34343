using Blog.Feedback;
using Blog.Inbox;

namespace Blog.Tests.Inbox;

/// <summary>The order of the rules, and what the classifier does when reading a message fails.</summary>
public sealed partial class MessageClassifierTests
{
    [Fact]
    public void Mail_to_the_unsubscribe_address_is_a_request_even_when_marked_auto_submitted()
    {
        // Some clients send a List-Unsubscribe mailto as an automatic message: a vacation reply never goes there.
        var text = Fill("mailto-unsubscribe-token.eml").Replace("Subject: unsubscribe\n", "Subject: unsubscribe\nAuto-Submitted: auto-generated\nPrecedence: bulk\n", StringComparison.Ordinal);

        var finding = Single(Classify(Parse(text)));

        Assert.Equal(FeedbackKind.Unsubscribe, finding.Kind);
        Assert.Equal(new FeedbackTarget(42), finding.Target);
    }
}

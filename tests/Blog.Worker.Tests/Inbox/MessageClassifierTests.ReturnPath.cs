using Blog.Feedback;
using Blog.Inbox;

namespace Blog.Tests.Inbox;

/// <summary>With <c>Mail:ReturnPath</c> set, only a verified return-path token decides who a report is about.</summary>
public sealed partial class MessageClassifierTests
{
    [Theory]
    [InlineData("postfix-dsn.eml")]
    [InlineData("exchange-dsn.eml")]
    [InlineData("arf-report.eml")]
    [InlineData("qmail-bounce.eml")]
    public void With_VERP_a_report_whose_tokens_are_altered_is_unhandled_whatever_Message_ID_or_address_it_names(string fixture)
    {
        var verdict = Classify(fixture, forged: true);

        Assert.Equal(InboxVerdictKind.Unhandled, verdict.Kind);
        Assert.Empty(verdict.Findings);
        Assert.Contains("no signed return path", verdict.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("postfix-dsn.eml")]
    [InlineData("arf-report.eml")]
    [InlineData("qmail-bounce.eml")]
    public void An_unsubscribe_token_in_the_returned_mail_names_no_delivery(string fixture)
    {
        // Whoever the mail was forwarded to holds its List-Unsubscribe token: only return-path tokens name a delivery.
        var text = Fill(fixture).Replace(returns.ForDigest(42, RunKey)!.Address, "bounces@blog.example.com", StringComparison.Ordinal);
        Assert.Contains(returns.UnsubscribeFor(42), text, StringComparison.Ordinal);

        var verdict = Classify(Parse(text));

        Assert.Equal(InboxVerdictKind.Unhandled, verdict.Kind);
        Assert.Empty(verdict.Findings);
    }

    [Fact]
    public void A_signed_return_path_names_the_subscriber_and_nothing_the_report_wrote()
    {
        // So the store cannot fall back to a Message-ID or address the report's writer chose, when the token's
        // subscriber is gone.
        var finding = Single(Classify("soft-dsn.eml"));

        Assert.Equal(DigestTarget, finding.Target);
    }
}

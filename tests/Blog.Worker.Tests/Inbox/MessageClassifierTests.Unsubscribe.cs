using Blog.Feedback;
using Blog.Inbox;
using Blog.Mail;
using Microsoft.Extensions.Options;
using MimeKit;

namespace Blog.Tests.Inbox;

/// <summary>
/// A mail titled "unsubscribe" to the plain mailbox names its subscriber only by From, which anyone can write: it is
/// honoured only when our own receiving server (Mail:TrustedAuthServId) vouches for From with DMARC or aligned DKIM.
/// </summary>
public sealed partial class MessageClassifierTests
{
    private const string Vouched = "Another Reader <another.reader@news.example.net>";

    private InboxVerdict ClassifyRequest(string from, params string[] authenticationResults)
    {
        var message = Plain(from, "unsubscribe@blog.example.com", "unsubscribe", "Please take me off.");
        // Each header is written above the last, as each receiving server prepends its own.
        foreach (var value in authenticationResults) message.Headers.Insert(0, "Authentication-Results", value);
        return Classify(message);
    }

    [Theory]
    [InlineData("mx.blog.example.com; dmarc=pass (p=reject) header.from=news.example.net")]
    [InlineData("mx.blog.example.com; dkim=pass header.d=news.example.net header.s=s1")]
    [InlineData("mx.blog.example.com; dkim=pass header.d=example.net header.s=s1")]
    [InlineData("MX.Blog.Example.Com 1; spf=fail smtp.mailfrom=x.example; dkim=fail header.d=example.net; dkim=pass header.d=Example.NET")]
    public void A_request_our_server_authenticated_unsubscribes_its_sender(string authenticationResults)
    {
        var finding = Single(ClassifyRequest(Vouched, authenticationResults));

        Assert.Equal(FeedbackKind.Unsubscribe, finding.Kind);
        Assert.Equal(new FeedbackTarget(Address: "another.reader@news.example.net"), finding.Target);
    }

    [Theory]
    [InlineData("")]
    [InlineData("mx.attacker.example; dmarc=pass header.from=news.example.net")]
    [InlineData("mx.blog.example.com; dmarc=fail header.from=news.example.net; spf=pass smtp.mailfrom=news.example.net")]
    [InlineData("mx.blog.example.com; dkim=pass header.d=attacker.example")]
    [InlineData("mx.blog.example.com; dkim=pass header.d=s.example.net")]
    [InlineData("mx.blog.example.com; dkim=pass header.d=ws.example.net")]
    [InlineData("mx.blog.example.com; dkim=pass header.d=xample.net")]
    [InlineData("mx.blog.example.com; dkim=fail (dkim=pass header.d=news.example.net) header.d=news.example.net")]
    [InlineData("mx.blog.example.com; none")]
    [InlineData("mx.blog.example.com.attacker.example; dmarc=pass")]
    // Written in order, each above the last: our server prepended the fail, the sender wrote the pass below it.
    [InlineData("mx.blog.example.com; dmarc=pass header.from=news.example.net|mx.blog.example.com; dmarc=fail header.from=news.example.net")]
    public void A_request_our_server_did_not_authenticate_unsubscribes_nobody(string authenticationResults)
    {
        var verdict = ClassifyRequest(Vouched, authenticationResults.Split('|', StringSplitOptions.RemoveEmptyEntries));

        Assert.Equal(InboxVerdictKind.Unhandled, verdict.Kind);
        Assert.Empty(verdict.Findings);
        Assert.Equal("unsubscribe request without a signed address or an authenticated From", verdict.Reason);
    }

    [Fact]
    public void Without_a_trusted_authserv_id_no_request_by_subject_is_honoured()
    {
        var options = Options.Create(new MailOptions { From = Mail.From, UnsubscribeMailbox = Mail.UnsubscribeMailbox, ReturnPath = Mail.ReturnPath });
        var message = Plain(Vouched, "unsubscribe@blog.example.com", "unsubscribe", "");
        message.Headers.Insert(0, "Authentication-Results", "mx.blog.example.com; dmarc=pass header.from=news.example.net");

        var verdict = new MessageClassifier(returns, Mint(options), options).Classify(message);

        Assert.Equal(InboxVerdictKind.Unhandled, verdict.Kind);
    }

    [Theory]
    [InlineData("", true)]
    [InlineData("mx.blog.example.com", true)]
    [InlineData("mx.blog.example.com; dmarc=pass", false)]
    [InlineData("mx blog", false)]
    public void The_trusted_authserv_id_is_checked_at_start(string id, bool valid)
    {
        var result = new MailOptionsValidator().Validate(null, new MailOptions { TrustedAuthServId = id });

        Assert.True(valid == result.Succeeded, result.FailureMessage);
        if (!valid) Assert.Contains("Mail:TrustedAuthServId", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void A_tokened_request_needs_no_authentication()
    {
        var finding = Single(Classify(Plain("Reader <reader@example.net>", returns.UnsubscribeFor(42), "unsubscribe", "")));

        Assert.Equal(new FeedbackTarget(42), finding.Target);
    }
}

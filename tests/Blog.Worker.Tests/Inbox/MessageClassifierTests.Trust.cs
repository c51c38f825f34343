using Blog.Feedback;
using Blog.Inbox;
using Blog.Mail;
using Microsoft.Extensions.Options;

namespace Blog.Tests.Inbox;

public sealed partial class MessageClassifierTests
{
    [Fact]
    public void Without_VERP_a_complaint_quoting_a_Message_ID_we_minted_is_vouched_for_and_a_guessable_one_is_not()
    {
        // The store makes a complaint final only on a target someone vouches for; a tagged Message-ID cannot be guessed.
        var minted = new MessageIdMint(Key, Options.Create(Mail)).For("digest", RunKey, "42");
        var text = Fill("arf-report.eml", forged: true);

        var tagged = Single(ClassifyWithoutVerp(Parse(text.Replace(DigestMessageId, minted, StringComparison.Ordinal))));
        var legacy = Single(ClassifyWithoutVerp(Parse(text)));

        Assert.Equal(new FeedbackTarget(MessageId: minted) { Trusted = true }, tagged.Target);
        Assert.Equal(new FeedbackTarget(MessageId: DigestMessageId), legacy.Target);
    }

    [Fact]
    public void Without_VERP_a_complaint_about_a_welcome_mail_names_its_subscriber_by_the_minted_id_alone()
    {
        // The welcome's outbox row is gone once sent; only its tagged id can tie the report to the subscriber.
        var minted = new MessageIdMint(Key, Options.Create(Mail)).For("welcome", "42", "1764486000000");
        var text = Fill("arf-report.eml", forged: true).Replace(DigestMessageId, minted, StringComparison.Ordinal);

        var finding = Single(ClassifyWithoutVerp(Parse(text)));

        Assert.Equal(new FeedbackTarget(42) { Trusted = true }, finding.Target);
    }
}

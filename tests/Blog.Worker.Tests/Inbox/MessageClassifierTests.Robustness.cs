using Blog.Feedback;
using Blog.Inbox;
using MimeKit;

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

    [Fact]
    public void Any_failure_reading_a_message_makes_it_unhandled()
    {
        var message = Plain("MAILER-DAEMON@relay.example.org", returns.ForDigest(42, RunKey)!.Address, "failure notice", "");
        message.Body = new TextPart("plain") { Content = new MimeContent(new FailingStream(new InvalidDataException("broken"))) };

        var verdict = Classify(message);

        Assert.Equal(InboxVerdictKind.Unhandled, verdict.Kind);
        Assert.StartsWith("malformed:", verdict.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Cancellation_is_not_swallowed()
    {
        var message = Plain("MAILER-DAEMON@relay.example.org", returns.ForDigest(42, RunKey)!.Address, "failure notice", "");
        message.Body = new TextPart("plain") { Content = new MimeContent(new FailingStream(new OperationCanceledException())) };

        Assert.Throws<OperationCanceledException>(() => Classify(message));
    }

    private sealed class FailingStream(Exception failure) : Stream
    {
        public override bool CanRead => true;
        public override bool CanSeek => true;
        public override bool CanWrite => false;
        public override long Length => 100;
        public override long Position { get; set; }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) => throw failure;
        public override long Seek(long offset, SeekOrigin origin) => Position = 0;
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}

using Blog.Feedback;
using Blog.Mail;
using MimeKit;

namespace Blog.Inbox;

/// <summary>
/// Tells what a message in the return mailbox is: a delivery report (RFC 3464), an older MTA's plain-text bounce, a
/// feedback report (RFC 5965), an auto-reply (RFC 3834), a request to the List-Unsubscribe mailto, or none of these.
/// A pure function of the message and the settings.
/// </summary>
public sealed class MessageClassifier(ReturnAddress returns, IOptions<MailOptions> options)
{
    public InboxVerdict Classify(MimeMessage message)
    {
        // Skeleton: replaced by the classifier's rules.
        _ = returns;
        _ = options;
        _ = message;
        return InboxVerdict.Unhandled("not classified yet");
    }
}

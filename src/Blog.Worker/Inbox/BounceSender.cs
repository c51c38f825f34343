using MimeKit;

namespace Blog.Inbox;

/// <summary>
/// Whether a message comes from a mail system rather than a person: MAILER-DAEMON, postmaster, "Mail Delivery
/// System". Such a message is a bounce or a warning even when it carries auto-reply headers (Exim and Postfix mark
/// their bounces <c>Auto-Submitted: auto-replied</c>, as RFC 3834 asks), and a person's auto-reply is never a bounce.
/// </summary>
internal static class BounceSender
{
    private static readonly string[] LocalParts = ["mailer-daemon", "mailerdaemon", "mail-daemon", "postmaster"];
    private static readonly string[] Names = ["mail delivery", "mailer-daemon", "mailer daemon", "postmaster"];

    public static bool IsDeliverySystem(MimeMessage message)
    {
        foreach (var mailbox in message.From.Mailboxes.Take(5))
        {
            var at = mailbox.Address.LastIndexOf('@');
            var local = at < 0 ? mailbox.Address : mailbox.Address[..at];
            if (LocalParts.Any(l => local.Equals(l, StringComparison.OrdinalIgnoreCase))) return true;
            var name = mailbox.Name ?? "";
            if (name.Length <= 200 && Names.Any(n => name.Contains(n, StringComparison.OrdinalIgnoreCase))) return true;
        }
        return false;
    }
}

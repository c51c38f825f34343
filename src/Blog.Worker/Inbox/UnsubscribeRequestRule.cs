using Blog.Feedback;
using Blog.Mail;
using MimeKit;

namespace Blog.Inbox;

/// <summary>
/// Mail to the List-Unsubscribe mailto. Sent to <c>unsubscribe+{token}@…</c>, the signed token names the subscriber,
/// whoever sent it. Sent to the plain mailbox (<see cref="MailOptions.UnsubscribeMailbox"/>, or the From address)
/// with the subject "unsubscribe", as a mailto without a token asks, it unsubscribes the address in its From: that
/// form trusts From, which a forger can set, so it can only ever take someone off the list, never add or change
/// anything, and an unsubscribe is what the address's owner can do with one click anyway.
/// </summary>
internal sealed class UnsubscribeRequestRule(ReportTargets targets, IOptions<MailOptions> options)
{
    private static readonly string[] RecipientHeaders = ["To", "Cc", "Delivered-To", "X-Original-To", "Envelope-To", "X-Envelope-To"];

    public InboxVerdict? Classify(MimeMessage message)
    {
        if (targets.Envelope(message.Headers, ReturnAddress.Unsubscribe) is { } token)
        {
            return new InboxVerdict(InboxVerdictKind.Feedback, [new InboxFinding(FeedbackKind.Unsubscribe, token.Target, "mailto unsubscribe")], "mail to the unsubscribe address, by its token");
        }
        var subject = message.Subject?.Trim();
        if (!string.Equals(subject, "unsubscribe", StringComparison.OrdinalIgnoreCase) || !ToMailbox(message)) return null;
        var from = message.From.Mailboxes.Take(2).ToList();
        if (from.Count != 1 || ReportTargets.Address(from[0].Address) is not { } address) return InboxVerdict.Unhandled("unsubscribe request without a single sender address");
        return new InboxVerdict(InboxVerdictKind.Feedback, [new InboxFinding(FeedbackKind.Unsubscribe, new FeedbackTarget(Address: address), "mailto unsubscribe (subject)")], "mail to the unsubscribe mailbox, by its From");
    }

    private bool ToMailbox(MimeMessage message)
    {
        var mail = options.Value;
        var configured = mail.UnsubscribeMailbox.Length > 0 ? mail.UnsubscribeMailbox : mail.From;
        if (!MailboxAddress.TryParse(configured, out var mailbox)) return false;
        var seen = 0;
        foreach (var header in message.Headers)
        {
            if (++seen > 500) break;
            if (!RecipientHeaders.Any(h => header.Field.Equals(h, StringComparison.OrdinalIgnoreCase)) || header.Value is not { Length: <= 2000 } value) continue;
            if (!InternetAddressList.TryParse(value, out var list)) continue;
            if (list.Mailboxes.Take(20).Any(m => m.Address.Equals(mailbox.Address, StringComparison.OrdinalIgnoreCase))) return true;
        }
        return false;
    }
}

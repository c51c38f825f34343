using Blog.Feedback;
using Blog.Mail;
using MimeKit;

namespace Blog.Inbox;

/// <summary>
/// Mail to the List-Unsubscribe mailto. Sent to <c>unsubscribe+{token}@…</c>, the signed token names the subscriber,
/// whoever sent it (<see cref="ByToken"/>). Sent to the plain mailbox (<see cref="MailOptions.UnsubscribeMailbox"/>, or
/// the From address) with the subject "unsubscribe", as a mailto without a token asks, it can name its subscriber only
/// by From, which anyone can write: it is honoured only when our own receiving server vouches for that From
/// (<see cref="UnsubscribeSenderAuthentication"/>), else left for the owner (<see cref="BySubject"/>).
/// </summary>
internal sealed class UnsubscribeRequestRule(ReportTargets targets, IOptions<MailOptions> options)
{
    private static readonly string[] RecipientHeaders = ["To", "Cc", "Delivered-To", "X-Original-To", "Envelope-To", "X-Envelope-To"];

    /// <summary>A request to a verified <c>unsubscribe+{token}@</c> address, or null.</summary>
    public InboxVerdict? ByToken(MimeMessage message) =>
        targets.Envelope(message.Headers, ReturnAddress.Unsubscribe) is { } token
            ? new InboxVerdict(InboxVerdictKind.Feedback, [new InboxFinding(FeedbackKind.Unsubscribe, token.Target, "mailto unsubscribe")], "mail to the unsubscribe address, by its token")
            : null;

    /// <summary>A request titled "unsubscribe" to the plain mailbox: by its From, when authenticated; or null when it is no such request.</summary>
    public InboxVerdict? BySubject(MimeMessage message)
    {
        var subject = message.Subject?.Trim();
        if (!string.Equals(subject, "unsubscribe", StringComparison.OrdinalIgnoreCase) || !ToMailbox(message)) return null;
        var from = message.From.Mailboxes.Take(2).ToList();
        if (from.Count != 1 || ReportTargets.Address(from[0].Address) is not { } address) return InboxVerdict.Unhandled("unsubscribe request without a single sender address");
        if (!UnsubscribeSenderAuthentication.Vouches(message.Headers, options.Value.TrustedAuthServId, address[(address.LastIndexOf('@') + 1)..]))
        {
            return InboxVerdict.Unhandled("unsubscribe request without a signed address or an authenticated From");
        }
        return new InboxVerdict(InboxVerdictKind.Feedback, [new InboxFinding(FeedbackKind.Unsubscribe, new FeedbackTarget(Address: address), "mailto unsubscribe (subject)")], "mail to the unsubscribe mailbox, by its authenticated From");
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

using Blog.MailingList;

namespace Blog.Mail;

/// <summary>A mail to write: rendered text and HTML, and the links every mail to a subscriber must carry.</summary>
/// <param name="MessageId">Without angle brackets; callers derive it from what the mail is, so a resend keeps it.</param>
/// <param name="UnsubscribeUrl">The one-click URL for List-Unsubscribe (RFC 8058).</param>
/// <param name="SubscriberId">Whom it is to, when a subscriber: List-Unsubscribe's mailto then names them (<see cref="Feedback.ReturnAddress.UnsubscribeFor"/>).</param>
public sealed record MailDraft(EmailAddress To, string Subject, string Text, string Html, string MessageId, string Purpose, Uri UnsubscribeUrl,
    long? SubscriberId = null);

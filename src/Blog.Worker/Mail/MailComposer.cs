using Blog.Feedback;
using MimeKit;

namespace Blog.Mail;

/// <summary>
/// Turns a <see cref="MailDraft"/> into a finished MIME message: multipart/alternative with the text part first and
/// the HTML part (its CSS already inlined by <see cref="MailTemplates"/>) second, Date, Message-ID, the sender, and
/// List-Unsubscribe with One-Click. Pure apart from the clock.
/// <para>
/// List-Unsubscribe's mailto, for mail clients that offer no one-click, is the local part of
/// <see cref="MailOptions.UnsubscribeMailbox"/> (or of From) with <c>+{token}</c> added, in its domain, when the mail is
/// to a subscriber and the owner reads replies (<see cref="ReturnAddress.TokenedUnsubscribe"/>): the request that comes
/// back names them, whatever address it was forwarded from. Otherwise the plain mailbox.
/// </para>
/// </summary>
public sealed class MailComposer(IOptions<MailOptions> options, TimeProvider time, ReturnAddress? returns = null)
{
    private readonly MailboxAddress from = MailboxAddress.Parse(options.Value.From);
    private readonly string unsubscribeMailbox = options.Value.UnsubscribeMailbox.Length > 0
        ? MailboxAddress.Parse(options.Value.UnsubscribeMailbox).Address
        : MailboxAddress.Parse(options.Value.From).Address;

    public MimeMessage Compose(MailDraft draft)
    {
        var message = new MimeMessage();
        // A copy each time: an address list subscribes to its addresses' change events, so one shared instance would
        // keep every message alive.
        message.From.Add(new MailboxAddress(from.Name, from.Address));
        message.To.Add(new MailboxAddress("", draft.To.Value));
        message.Subject = OneLine(draft.Subject);
        message.Date = time.GetUtcNow();
        message.MessageId = draft.MessageId;
        var mailto = draft.SubscriberId is { } subscriber && returns is { TokenedUnsubscribe: true } ? returns.UnsubscribeFor(subscriber) : unsubscribeMailbox;
        message.Headers.Add("List-Unsubscribe", $"<{draft.UnsubscribeUrl.AbsoluteUri}>, <mailto:{mailto}?subject=unsubscribe>");
        message.Headers.Add("List-Unsubscribe-Post", "List-Unsubscribe=One-Click");
        message.Body = new MultipartAlternative { Part("plain", draft.Text), Part("html", draft.Html) };
        return message;
    }

    // What BodyBuilder makes, without its detour through a string setter per part: the UTF-8 bytes once, as the
    // content. The transfer encoding is left to MimeKit's Prepare, which picks 7bit or quoted-printable per part.
    private static TextPart Part(string subtype, string text)
    {
        var part = new TextPart(subtype) { Content = new MimeContent(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(text), writable: false)) };
        part.ContentType.Charset = "utf-8";
        return part;
    }

    /// <summary>The draft composed and serialised, ready for the outbox.</summary>
    public QueuedMail Queue(MailDraft draft)
    {
        using var buffer = new MemoryStream();
        Compose(draft).WriteTo(buffer);
        return new QueuedMail(draft.To.Value, draft.MessageId, draft.Purpose, buffer.ToArray());
    }

    // A subject comes from settings and post titles; a line break there would end the header early.
    private static string OneLine(string text) => string.Concat(text.Select(c => char.IsControl(c) ? ' ' : c)).Trim();
}

using MimeKit;

namespace Blog.Mail;

/// <summary>Where finished messages go: a pickup folder or an SMTP server.</summary>
public interface IMailTransport
{
    /// <summary>Where the mail goes, for messages to the owner (a folder or host:port).</summary>
    string Describe();

    /// <param name="sender">
    /// The envelope sender (SMTP MAIL FROM), where bounces go: the mail's own return address (VERP) when
    /// <see cref="MailOptions.ReturnPath"/> is set; null sends from the header From, as a mail client would.
    /// </param>
    /// <exception cref="MailDeliveryException">The message was not taken.</exception>
    Task SendAsync(MimeMessage message, MailboxAddress? sender, CancellationToken cancellationToken);
}

using MimeKit;

namespace Blog.Mail;

/// <summary>Where finished messages go: a pickup folder or an SMTP server.</summary>
public interface IMailTransport
{
    /// <summary>Where the mail goes, for messages to the owner (a folder or host:port).</summary>
    string Describe();

    /// <exception cref="MailDeliveryException">The message was not taken.</exception>
    Task SendAsync(MimeMessage message, CancellationToken cancellationToken);
}

using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using Blog.Mail;
using MailKit;
using MailKit.Security;

namespace Blog.Inbox;

/// <summary>Connecting and logging in to the return mailbox, the same for IMAP and POP3, and what a failure is told as.</summary>
internal static class MailboxSession
{
    public static byte[]? LoadTrusted(string path)
    {
        if (path.Length == 0) return null;
        using var certificate = X509CertificateLoader.LoadCertificateFromFile(path);
        return certificate.RawData;
    }

    public static async Task ConnectAsync(IMailService client, InboxOptions options, byte[]? trusted, CancellationToken cancellationToken)
    {
        client.Timeout = (int)options.Timeout.TotalMilliseconds;
        if (trusted is not null)
            client.ServerCertificateValidationCallback = (_, certificate, _, errors) =>
                errors == System.Net.Security.SslPolicyErrors.None || (certificate is not null && certificate.GetRawCertData().AsSpan().SequenceEqual(trusted));
        var where = Describe(options);
        try
        {
            using var connect = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            connect.CancelAfter(options.Timeout);
            try
            {
                await client.ConnectAsync(options.Host, options.EffectivePort, options.Security switch
                {
                    SmtpSecurity.None => SecureSocketOptions.None,
                    SmtpSecurity.StartTls => SecureSocketOptions.StartTls,
                    SmtpSecurity.SslOnConnect => SecureSocketOptions.SslOnConnect,
                    _ => SecureSocketOptions.Auto,
                }, connect.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new InboxException($"{where}: no connection within {options.Timeout.TotalSeconds:0} s (check Mail:Inbox:Host and Mail:Inbox:Port)");
            }
            // MailKit's Auto carries on in plain text when the server offers no STARTTLS, or someone in between strips
            // the offer: the password would go out readable.
            if (!client.IsSecure && options.Security != SmtpSecurity.None)
                throw new InboxException(
                    $"{where} offered no TLS (Mail:Inbox:Security is {options.Security}), so the password for user \"{options.User}\" was not sent. " +
                    "Use a server or port that offers STARTTLS or TLS (Mail:Inbox:Security=SslOnConnect); only to log in unencrypted on purpose, set Mail:Inbox:Security=None.");
            await client.AuthenticateAsync(options.User, options.Password, cancellationToken);
        }
        catch (Exception e) when (Failure(e, options) is { } failure)
        {
            throw failure;
        }
    }

    public static string Describe(InboxOptions options) =>
        $"{options.Protocol.ToString().ToLowerInvariant()}://{options.Host}:{options.EffectivePort}";

    /// <summary>
    /// The owner's version of a failure to use the server, naming the server and what to check; never the password.
    /// Null for what is not such a failure (a cancellation, a bug).
    /// </summary>
    public static InboxException? Failure(Exception e, InboxOptions options)
    {
        var where = Describe(options);
        return e switch
        {
            InboxException already => already,
            AuthenticationException => new InboxException($"{where}: login refused for user \"{options.User}\": {e.Message} (check Mail:Inbox:User and Mail:Inbox:Password)", e),
            SslHandshakeException => new InboxException($"{where}: the TLS handshake failed (is the certificate trusted? see Mail:Inbox:TrustedCertificatePath)", e),
            FolderNotFoundException f => new InboxException($"{where}: there is no folder \"{f.FolderName}\" (check Mail:Inbox:Folder)", e),
            NotSupportedException => new InboxException($"{where}: {e.Message.Trim()} (Mail:Inbox:Security is {options.Security}; check the server, the port and Mail:Inbox:Security)", e),
            SocketException or IOException or TimeoutException or ProtocolException or CommandException or ServiceNotConnectedException or ServiceNotAuthenticatedException
                or MessageNotFoundException or FolderNotOpenException
                => new InboxException($"{where}: {e.Message.Trim()}", e),
            _ => null,
        };
    }
}

using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;

namespace Blog.Mail;

/// <summary>
/// Sends through an SMTP server with MailKit over a pool of up to <see cref="SmtpOptions.MaxConnections"/>
/// connections, each kept open between messages. Any failure drops that connection, so the next message on it starts
/// a clean session. A 5xx reply is permanent; a 4xx reply, a dropped connection or a timeout is transient and the
/// caller retries it. A refused login, or a connection without TLS where a password would be sent (unless
/// <see cref="SmtpSecurity.None"/> was chosen), stops sending (<see cref="MailDeliveryException.StopSending"/>).
/// </summary>
public sealed partial class SmtpMailTransport(IOptions<MailOptions> options, ILogger<SmtpMailTransport> logger) : IMailTransport, IAsyncDisposable
{
    private readonly SemaphoreSlim gate = new(Math.Max(1, options.Value.Smtp.MaxConnections));
    private readonly System.Collections.Concurrent.ConcurrentBag<SmtpClient> idle = [];
    private readonly byte[]? trusted = LoadTrusted(options.Value.Smtp.TrustedCertificatePath);

    private SmtpOptions Smtp => options.Value.Smtp;

    public string Describe() => $"{Smtp.Host}:{Smtp.Port}";

    public async Task SendAsync(MimeMessage message, MailboxAddress? sender, CancellationToken cancellationToken)
    {
        await gate.WaitAsync(cancellationToken);
        SmtpClient? client = null;
        try
        {
            client = idle.TryTake(out var open) && open.IsConnected ? open : await ConnectAsync(cancellationToken);
            if (sender is null) await client.SendAsync(message, cancellationToken);
            else await client.SendAsync(message, sender, Recipients(message), cancellationToken);
            idle.Add(client);
            client = null;
        }
        catch (SmtpCommandException e) when (e.ErrorCode == SmtpErrorCode.SenderNotAccepted && (int)e.StatusCode >= 500)
        {
            // MAIL FROM carries only our sender (or our return path, whose domain is the same in every message): each
            // would be refused (and counted as a recipient's bounce). The owner has to fix the sender or the login.
            await DropAsync(client);
            throw MailDeliveryException.Setup(
                $"{Describe()} refused the sender{(sender is null ? "" : $" <{sender.Address}>")} with {(int)e.StatusCode}: {e.Message.Trim()} " +
                $"(check {(sender is null ? "Mail:From" : "Mail:ReturnPath")}, Mail:Smtp:User and Mail:Smtp:Password)", e);
        }
        catch (SmtpCommandException e)
        {
            await DropAsync(client);
            var permanent = (int)e.StatusCode >= 500;
            throw new MailDeliveryException($"{Describe()} answered {(int)e.StatusCode}: {e.Message.Trim()}", permanent, e);
        }
        catch (AuthenticationException e)
        {
            // Every message would be refused the same way, for hours of retries: the owner has to fix the login.
            await DropAsync(client);
            throw MailDeliveryException.Setup($"{Describe()}: {Describe(e)} (check Mail:Smtp:User and Mail:Smtp:Password)", e);
        }
        catch (ServiceNotAuthenticatedException e)
        {
            // MailKit's reading of a 530 reply to MAIL FROM: the server wants a login we were not given.
            await DropAsync(client);
            throw MailDeliveryException.Setup(
                $"{Describe()} answered 530, it requires a login{(Smtp.User.Length == 0 ? " and Mail:Smtp:User is not set" : "")}: {e.Message.Trim()} (check Mail:From, Mail:Smtp:User and Mail:Smtp:Password)", e);
        }
        catch (Exception e) when (e is SmtpProtocolException or IOException or SocketException or TimeoutException
                                  or ServiceNotConnectedException or SslHandshakeException or NotSupportedException)
        {
            await DropAsync(client);
            throw new MailDeliveryException($"{Describe()}: {Describe(e)}", permanent: false, e);
        }
        catch (OperationCanceledException)
        {
            await DropAsync(client);
            throw;
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>Whom the message is to, as MailKit finds them when it is given no envelope (Bcc included: the envelope is how it is delivered).</summary>
    private static List<MailboxAddress> Recipients(MimeMessage message) =>
        [.. message.To.Mailboxes, .. message.Cc.Mailboxes, .. message.Bcc.Mailboxes];

    private async Task<SmtpClient> ConnectAsync(CancellationToken cancellationToken)
    {
        var smtp = Smtp;
        var next = new SmtpClient { Timeout = (int)smtp.Timeout.TotalMilliseconds };
        if (trusted is not null)
            next.ServerCertificateValidationCallback = (_, certificate, _, errors) =>
                errors == System.Net.Security.SslPolicyErrors.None || (certificate is not null && certificate.GetRawCertData().AsSpan().SequenceEqual(trusted));
        Socket? socket = null;
        try
        {
            // Our own socket, for TCP_NODELAY: with Nagle on, each message's last segment waited for the server's
            // delayed ACK, 40 ms a message (80 messages a second where Postfix's smtp-source does thousands).
            socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            using (var connect = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                connect.CancelAfter(smtp.Timeout);
                try
                {
                    await socket.ConnectAsync(smtp.Host, smtp.Port, connect.Token);
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    throw new TimeoutException($"no connection within {smtp.Timeout.TotalSeconds:0} s");
                }
            }
            try
            {
                await next.ConnectAsync(socket, smtp.Host, smtp.Port, smtp.Security switch
                {
                    SmtpSecurity.None => SecureSocketOptions.None,
                    SmtpSecurity.StartTls => SecureSocketOptions.StartTls,
                    SmtpSecurity.SslOnConnect => SecureSocketOptions.SslOnConnect,
                    _ => SecureSocketOptions.Auto,
                }, cancellationToken);
            }
            catch (NotSupportedException e)
            {
                // STARTTLS required but not offered (or stripped on the way): no message can go until that changes.
                throw MailDeliveryException.Setup($"{Describe()}: {e.Message.Trim()} (Mail:Smtp:Security is {smtp.Security}; check the server, the port and Mail:Smtp:Security)", e);
            }
            if (smtp.User.Length > 0)
            {
                // MailKit's Auto (StartTlsWhenAvailable) carries on in plain text when the server offers no STARTTLS,
                // or when someone in between strips the offer: the password would go out readable.
                if (!next.IsSecure && smtp.Security != SmtpSecurity.None)
                    throw MailDeliveryException.Setup(
                        $"{Describe()} offered no TLS (Mail:Smtp:Security is {smtp.Security}), so the password for user \"{smtp.User}\" was not sent. " +
                        "Use a server or port that offers STARTTLS (587) or TLS (465, Mail:Smtp:Security=SslOnConnect); " +
                        "only to log in unencrypted on purpose, set Mail:Smtp:Security=None.");
                try
                {
                    await next.AuthenticateAsync(smtp.User, smtp.Password, cancellationToken);
                }
                catch (NotSupportedException e)
                {
                    throw MailDeliveryException.Setup($"{Describe()}: {e.Message.Trim()} (Mail:Smtp:User is set; is this the server that should take it?)", e);
                }
            }
            // With SIZE on offer, MailKit writes every message twice: once to count its bytes, once to send them. Our
            // mail is a few kilobytes, far below any server's limit, and a server that still finds it too large
            // answers 552 at the end of DATA instead, which is handled as the same permanent failure.
            next.Capabilities &= ~SmtpCapabilities.Size;
            Log.Connected(logger, smtp.Host, smtp.Port, next.IsSecure);
            return next;
        }
        catch
        {
            next.Dispose();
            socket?.Dispose();
            throw;
        }
    }

    private string Describe(Exception e) => e switch
    {
        // Never the password: only which user could not log in, and what the server said.
        AuthenticationException => $"login refused for user \"{Smtp.User}\": {e.Message}",
        SslHandshakeException => "the TLS handshake failed (is the certificate trusted? see Mail:Smtp:TrustedCertificatePath)",
        _ => e.Message,
    };

    private static async Task DropAsync(SmtpClient? old)
    {
        if (old is null) return;
        try
        {
            if (old.IsConnected) await old.DisconnectAsync(quit: true, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(2));
        }
        catch (Exception e) when (e is IOException or SocketException or TimeoutException or SmtpProtocolException or SmtpCommandException or ServiceNotConnectedException)
        {
            // The session is being thrown away; how it ends does not matter.
        }
        finally
        {
            old.Dispose();
        }
    }

    private static byte[]? LoadTrusted(string path)
    {
        if (path.Length == 0) return null;
        using var certificate = X509CertificateLoader.LoadCertificateFromFile(path);
        return certificate.RawData;
    }

    public async ValueTask DisposeAsync()
    {
        while (idle.TryTake(out var client)) await DropAsync(client);
        gate.Dispose();
    }

    private static partial class Log
    {
        [LoggerMessage(LogEvents.SmtpMailTransport.Connected, LogLevel.Debug, "Connected to SMTP server {Host}:{Port} (TLS: {Secure})")]
        public static partial void Connected(ILogger logger, string host, int port, bool secure);
    }
}

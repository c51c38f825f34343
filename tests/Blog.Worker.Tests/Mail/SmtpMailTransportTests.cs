using Blog.Mail;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using MimeKit;

namespace Blog.Tests.Mail;

/// <summary>MailKit against a real SMTP server on loopback, with STARTTLS and AUTH.</summary>
public sealed class SmtpMailTransportTests : IAsyncLifetime
{
    private const string User = "blog";
    private const string Password = "s3cret-Pa55";
    private readonly TempFolder folder = new();
    private readonly System.Security.Cryptography.X509Certificates.X509Certificate2 certificate = TestCertificate.Create();
    private SmtpTestServer server = null!;

    public async Task InitializeAsync() => server = await SmtpTestServer.StartAsync(certificate, (User, Password));

    public async Task DisposeAsync()
    {
        await server.DisposeAsync();
        certificate.Dispose();
        folder.Dispose();
    }

    private SmtpMailTransport Transport(string password = Password, bool trust = true, SmtpSecurity security = SmtpSecurity.StartTls, SmtpTestServer? to = null) => new(Options.Create(new MailOptions
    {
        Transport = MailTransportKind.Smtp,
        Smtp = new SmtpOptions
        {
            Host = "127.0.0.1",
            Port = (to ?? server).Port,
            Security = security,
            User = User,
            Password = password,
            TrustedCertificatePath = trust ? TestCertificate.WritePem(certificate, folder.Combine("smtp.pem")) : "",
            Timeout = TimeSpan.FromSeconds(10),
        },
    }), NullLogger<SmtpMailTransport>.Instance);

    private static MimeMessage Message(string to, string id)
    {
        var message = new MimeMessage { MessageId = id, Subject = "hello" };
        message.From.Add(MailboxAddress.Parse("news@blog.example.com"));
        message.To.Add(MailboxAddress.Parse(to));
        message.Body = new TextPart("plain") { Text = "body" };
        return message;
    }

    [Fact]
    public async Task Messages_go_over_STARTTLS_with_AUTH_on_one_reused_connection()
    {
        await using var transport = Transport();
        for (var i = 0; i < 3; i++) await transport.SendAsync(Message($"user{i}@example.com", $"m{i}@blog.example.com"), null, CancellationToken.None);
        Assert.Equal(["m0@blog.example.com", "m1@blog.example.com", "m2@blog.example.com"], server.Received.Select(m => m.MessageId));
        Assert.Equal(1, server.Logins);
    }

    [Fact]
    public async Task A_wrong_password_stops_sending_without_failing_the_message_and_the_message_never_shows_the_password()
    {
        await using var transport = Transport(password: "wrong-Pa55");
        var e = await Assert.ThrowsAsync<MailDeliveryException>(() => transport.SendAsync(Message("a@example.com", "m@x"), null, CancellationToken.None));
        Assert.True(e.StopSending);
        Assert.False(e.Permanent);
        Assert.Contains("login refused for user \"blog\"", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("wrong-Pa55", e.ToString(), StringComparison.Ordinal);
        Assert.Empty(server.Received);
    }

    [Fact]
    public async Task With_Auto_a_server_that_offers_no_STARTTLS_never_gets_the_password()
    {
        await using var plain = await SmtpTestServer.StartAsync(login: (User, Password), plainAuthentication: true);
        await using var transport = Transport(security: SmtpSecurity.Auto, to: plain);
        var e = await Assert.ThrowsAsync<MailDeliveryException>(() => transport.SendAsync(Message("a@example.com", "m@x"), null, CancellationToken.None));
        Assert.Contains("EHLO", plain.Commands);
        Assert.DoesNotContain("AUTH", plain.Commands);
        Assert.Equal(0, plain.Logins);
        Assert.Empty(plain.Received);
        Assert.True(e.StopSending);
        Assert.False(e.Permanent);
        Assert.Contains($"127.0.0.1:{plain.Port}", e.Message, StringComparison.Ordinal);
        Assert.Contains("Mail:Smtp:Security", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Password, e.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_Security_None_chosen_the_login_goes_over_a_plain_connection()
    {
        await using var plain = await SmtpTestServer.StartAsync(login: (User, Password), plainAuthentication: true);
        await using var transport = Transport(security: SmtpSecurity.None, to: plain);
        await transport.SendAsync(Message("a@example.com", "m@x"), null, CancellationToken.None);
        Assert.Contains("AUTH", plain.Commands);
        Assert.Equal(1, plain.Logins);
        Assert.Equal("m@x", Assert.Single(plain.Received).MessageId);
    }

    [Fact]
    public async Task With_StartTls_chosen_a_server_that_offers_no_STARTTLS_stops_sending()
    {
        await using var plain = await SmtpTestServer.StartAsync(login: (User, Password), plainAuthentication: true);
        await using var transport = Transport(security: SmtpSecurity.StartTls, to: plain);
        var e = await Assert.ThrowsAsync<MailDeliveryException>(() => transport.SendAsync(Message("a@example.com", "m@x"), null, CancellationToken.None));
        Assert.True(e.StopSending);
        Assert.Contains($"127.0.0.1:{plain.Port}", e.Message, StringComparison.Ordinal);
        Assert.Contains("Mail:Smtp:Security", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("AUTH", plain.Commands);
        Assert.Empty(plain.Received);
    }

    [Fact]
    public async Task An_untrusted_certificate_is_refused_unless_it_is_the_pinned_one()
    {
        await using var transport = Transport(trust: false);
        var e = await Assert.ThrowsAsync<MailDeliveryException>(() => transport.SendAsync(Message("a@example.com", "m@x"), null, CancellationToken.None));
        Assert.False(e.Permanent);
        Assert.Contains("TLS", e.Message, StringComparison.Ordinal);
        Assert.Empty(server.Received);
    }

    [Fact]
    public async Task A_5xx_reply_is_permanent_a_4xx_reply_is_transient_and_the_next_message_still_goes()
    {
        server.Reply = m => m.To.Mailboxes.Single().Address switch
        {
            "gone@example.com" => (550, "5.1.1 no such user"),
            "busy@example.com" => (451, "4.3.0 try again later"),
            _ => null,
        };
        await using var transport = Transport();
        var gone = await Assert.ThrowsAsync<MailDeliveryException>(() => transport.SendAsync(Message("gone@example.com", "g@x"), null, CancellationToken.None));
        Assert.True(gone.Permanent);
        Assert.Contains("550", gone.Message, StringComparison.Ordinal);
        Assert.Contains("no such user", gone.Message, StringComparison.Ordinal);

        var busy = await Assert.ThrowsAsync<MailDeliveryException>(() => transport.SendAsync(Message("busy@example.com", "b@x"), null, CancellationToken.None));
        Assert.False(busy.Permanent);
        Assert.Contains("451", busy.Message, StringComparison.Ordinal);

        await transport.SendAsync(Message("fine@example.com", "f@x"), null, CancellationToken.None);
        Assert.Equal(["f@x"], server.Received.Select(m => m.MessageId));
    }

    [Fact]
    public async Task A_5xx_reply_to_the_sender_stops_sending_instead_of_failing_every_message_as_a_bounce()
    {
        // MAIL FROM carries only Mail:From, the same in every message: its refusal is the setup's, not a recipient's.
        server.CommandReply = (command, _) => command == "MAIL" ? (530, "5.7.0 Authentication required") : null;
        await using var transport = Transport();
        var refused = await Assert.ThrowsAsync<MailDeliveryException>(() => transport.SendAsync(Message("a@example.com", "m@x"), null, CancellationToken.None));
        Assert.True(refused.StopSending);
        Assert.False(refused.Permanent);
        Assert.Contains("530", refused.Message, StringComparison.Ordinal);
        Assert.Contains("Mail:From", refused.Message, StringComparison.Ordinal);

        server.CommandReply = (command, _) => command == "MAIL" ? (451, "4.3.0 busy") : null;
        var busy = await Assert.ThrowsAsync<MailDeliveryException>(() => transport.SendAsync(Message("a@example.com", "m@x"), null, CancellationToken.None));
        Assert.False(busy.StopSending || busy.Permanent);

        server.CommandReply = (command, address) => command == "RCPT" && address == "gone@example.com" ? (550, "5.1.1 no such user") : null;
        var gone = await Assert.ThrowsAsync<MailDeliveryException>(() => transport.SendAsync(Message("gone@example.com", "g@x"), null, CancellationToken.None));
        Assert.True(gone.Permanent);
        Assert.False(gone.StopSending);
    }

    [Fact]
    public async Task An_envelope_sender_goes_in_MAIL_FROM_and_the_header_From_stays()
    {
        await using var transport = Transport();
        await transport.SendAsync(Message("a@example.com", "v@x"), new MailboxAddress("", "bounces+m1-2-abc@blog.example.com"), CancellationToken.None);
        await transport.SendAsync(Message("b@example.com", "n@x"), null, CancellationToken.None);
        var (verp, plain) = (server.Received.Single(m => m.MessageId == "v@x"), server.Received.Single(m => m.MessageId == "n@x"));
        Assert.Equal("bounces+m1-2-abc@blog.example.com", server.EnvelopeSender(verp));
        Assert.Equal("news@blog.example.com", verp.From.Mailboxes.Single().Address);
        Assert.Equal("a@example.com", verp.To.Mailboxes.Single().Address);
        Assert.Equal("news@blog.example.com", server.EnvelopeSender(plain));
    }

    [Fact]
    public async Task A_5xx_reply_to_the_return_path_stops_sending_and_names_Mail_ReturnPath()
    {
        server.CommandReply = (command, address) => command == "MAIL" && address.StartsWith("bounces+", StringComparison.Ordinal) ? (553, "5.7.1 sender not allowed") : null;
        await using var transport = Transport();
        var refused = await Assert.ThrowsAsync<MailDeliveryException>(() =>
            transport.SendAsync(Message("a@example.com", "m@x"), new MailboxAddress("", "bounces+m1-2-abc@blog.example.com"), CancellationToken.None));
        Assert.True(refused.StopSending);
        Assert.Contains("553", refused.Message, StringComparison.Ordinal);
        Assert.Contains("<bounces+m1-2-abc@blog.example.com>", refused.Message, StringComparison.Ordinal);
        Assert.Contains("Mail:ReturnPath", refused.Message, StringComparison.Ordinal);
        Assert.Empty(server.Received);
    }

    [Fact]
    public async Task No_server_listening_is_transient()
    {
        using var closed = LoopbackPort.Closed(out var port);
        await using var transport = new SmtpMailTransport(Options.Create(new MailOptions
        {
            Smtp = new SmtpOptions { Host = "127.0.0.1", Port = port, Security = SmtpSecurity.None, Timeout = TimeSpan.FromSeconds(5) },
        }), NullLogger<SmtpMailTransport>.Instance);
        var e = await Assert.ThrowsAsync<MailDeliveryException>(() => transport.SendAsync(Message("a@example.com", "m@x"), null, CancellationToken.None));
        Assert.False(e.Permanent);
        Assert.Contains($"127.0.0.1:{port}", e.Message, StringComparison.Ordinal);
    }
}

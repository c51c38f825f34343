using System.Buffers;
using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using MimeKit;
using SmtpServer;
using SmtpServer.Authentication;
using SmtpServer.Protocol;
using SmtpServer.Storage;

namespace Blog.Tests.Support;

/// <summary>
/// A real SMTP server on a loopback port (the SmtpServer package), with STARTTLS and AUTH when asked, that keeps what
/// it receives. <see cref="Reply"/> chooses the answer to each message's DATA and <see cref="CommandReply"/> the answer
/// to MAIL FROM and RCPT TO: a 4xx or 5xx reply, or acceptance.
/// </summary>
public sealed class SmtpTestServer : IAsyncDisposable
{
    private readonly CancellationTokenSource stop = new();
    private readonly Task running;

    private readonly TaskCompletionSource<int> bound = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private SmtpTestServer(X509Certificate2? certificate, (string User, string Password)? login, bool plainAuthentication)
    {
        // Port 0: the system picks a free port as it binds, and the listener says which.
        var endpoint = new EndpointDefinitionBuilder().Endpoint(new IPEndPoint(IPAddress.Loopback, 0)).IsSecure(false)
            .AuthenticationRequired(login is not null).AllowUnsecureAuthentication(plainAuthentication);
        if (certificate is not null) endpoint.Certificate(certificate);
        var options = new SmtpServerOptionsBuilder().ServerName("localhost").Endpoint(endpoint.Build()).Build();
        var services = new SmtpServer.ComponentModel.ServiceProvider();
        services.Add(new Store(this));
        services.Add(new Filter(this));
        var listeners = new SmtpServer.Net.EndpointListenerFactory();
        listeners.EndpointStarted += (_, e) => bound.TrySetResult(((IPEndPoint)e.LocalEndPoint).Port);
        services.Add(listeners);
        if (login is { } l)
            services.Add(new DelegatingUserAuthenticator((user, password) =>
            {
                Interlocked.Increment(ref logins);
                return user == l.User && password == l.Password;
            }));
        var server = new SmtpServer.SmtpServer(options, services);
        server.SessionCreated += (_, e) => e.Context.CommandExecuting += (_, c) => Commands.Enqueue(c.Command.Name);
        running = server.StartAsync(stop.Token);
    }

    public int Port { get; private set; }

    public ConcurrentQueue<MimeMessage> Received { get; } = new();

    /// <summary>The envelope sender (MAIL FROM, empty for the null sender) of each received message, by its Message-ID.</summary>
    public ConcurrentDictionary<string, string> EnvelopeSenders { get; } = new(StringComparer.Ordinal);

    /// <summary>The envelope sender a received message came with.</summary>
    public string EnvelopeSender(MimeMessage message) => EnvelopeSenders[message.MessageId ?? ""];

    /// <summary>The name of every command a client sent (EHLO, STARTTLS, AUTH, MAIL, ...), in order.</summary>
    public ConcurrentQueue<string> Commands { get; } = new();

    /// <summary>Every message that reached DATA, accepted or not.</summary>
    public ConcurrentQueue<MimeMessage> Attempted { get; } = new();

    /// <summary>How long the server takes over each message, to make a run last long enough to be interrupted.</summary>
    public TimeSpan Delay { get; set; }

    /// <summary>Null accepts the message; otherwise the reply code and text DATA gets.</summary>
    public Func<MimeMessage, (int Code, string Text)?> Reply { get; set; } = _ => null;

    /// <summary>Null accepts; otherwise the reply code and text that <c>MAIL</c> or <c>RCPT</c> (the command) gets for the address.</summary>
    public Func<string, string, (int Code, string Text)?> CommandReply { get; set; } = (_, _) => null;

    public int Attempts => attempts;

    /// <summary>AUTH attempts: with AUTH required, one per client connection.</summary>
    public int Logins => logins;

    private int attempts;
    private int disposed;
    private int logins;

    /// <param name="plainAuthentication">Offers AUTH on a connection without TLS too, as a careless or hostile server would.</param>
    public static async Task<SmtpTestServer> StartAsync(X509Certificate2? certificate = null, (string User, string Password)? login = null,
        bool plainAuthentication = false)
    {
        var server = new SmtpTestServer(certificate, login, plainAuthentication);
        var started = await Task.WhenAny(server.bound.Task, server.running);
        if (started != server.bound.Task)
        {
            var failure = server.running.Exception?.GetBaseException();
            await server.DisposeAsync();
            throw new InvalidOperationException($"the SMTP test server did not start: {failure?.Message ?? "it stopped"}", failure);
        }
        server.Port = await server.bound.Task;
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref disposed, 1) == 1) return;
        await stop.CancelAsync();
        try
        {
            await running.WaitAsync(TimeSpan.FromSeconds(5));
        }
        catch (Exception e) when (e is OperationCanceledException or System.Net.Sockets.SocketException)
        {
            // Stopped, or it never started: either way it is gone.
        }
        stop.Dispose();
    }

    private sealed class Filter(SmtpTestServer server) : IMailboxFilter
    {
        public Task<bool> CanAcceptFromAsync(ISessionContext context, SmtpServer.Mail.IMailbox from, int size, CancellationToken cancellationToken) =>
            Answer("MAIL", from);

        public Task<bool> CanDeliverToAsync(ISessionContext context, SmtpServer.Mail.IMailbox to, SmtpServer.Mail.IMailbox from, CancellationToken cancellationToken) =>
            Answer("RCPT", to);

        private Task<bool> Answer(string command, SmtpServer.Mail.IMailbox mailbox)
        {
            if (server.CommandReply(command, $"{mailbox.User}@{mailbox.Host}") is { } reply)
                throw new SmtpResponseException(new SmtpResponse((SmtpReplyCode)reply.Code, reply.Text));
            return Task.FromResult(true);
        }
    }

    private sealed class Store(SmtpTestServer server) : MessageStore
    {
        public override async Task<SmtpResponse> SaveAsync(ISessionContext context, IMessageTransaction transaction, ReadOnlySequence<byte> buffer, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref server.attempts);
            if (server.Delay > TimeSpan.Zero) await Task.Delay(server.Delay, cancellationToken);
            using var stream = new MemoryStream(buffer.ToArray());
            var message = MimeMessage.Load(stream, cancellationToken);
            server.Attempted.Enqueue(message);
            if (server.Reply(message) is { } reply) return new SmtpResponse((SmtpReplyCode)reply.Code, reply.Text);
            var from = transaction.From is { } sender && !string.IsNullOrEmpty(sender.User) ? $"{sender.User}@{sender.Host}" : "";
            server.EnvelopeSenders[message.MessageId ?? ""] = from;
            server.Received.Enqueue(message);
            return SmtpResponse.Ok;
        }
    }
}

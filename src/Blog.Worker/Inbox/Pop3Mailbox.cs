using System.Globalization;
using System.Runtime.CompilerServices;
using MailKit;
using MailKit.Net.Pop3;

namespace Blog.Inbox;

/// <summary>
/// The return mailbox over POP3 (MailKit): a session a pass, since a POP3 session sees the mailbox as it was at login.
/// Handled mail is marked for deletion, which the server carries out only at QUIT (<see cref="CloseAsync"/>), after
/// every result of the pass was committed; a pass cut short deletes nothing. Messages left in place are remembered by
/// UIDL, so they are not read again while this runs.
/// </summary>
public sealed class Pop3Mailbox(IOptions<InboxOptions> options, TimeProvider time) : IMailbox
{
    private const int MaxRemembered = 100_000;

    private readonly byte[]? trusted = MailboxSession.LoadTrusted(options.Value.TrustedCertificatePath);
    private readonly HashSet<string> leftInPlace = new(StringComparer.Ordinal);
    private Pop3Client? client;

    private InboxOptions Options => options.Value;

    public string Source => "pop3";

    public string Describe() => MailboxSession.Describe(Options);

    public async Task OpenAsync(CancellationToken cancellationToken)
    {
        await DropAsync(quit: false);
        var next = new Pop3Client();
        try
        {
            await MailboxSession.ConnectAsync(next, Options, trusted, cancellationToken);
            client = next;
        }
        catch
        {
            next.Dispose();
            throw;
        }
    }

    public async IAsyncEnumerable<MailboxMessage> MessagesAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var open = Open();
        IList<string>? uids;
        IList<int> sizes;
        try
        {
            uids = open.Capabilities.HasFlag(Pop3Capabilities.UIDL) ? await open.GetMessageUidsAsync(cancellationToken) : null;
            sizes = await open.GetMessageSizesAsync(cancellationToken);
        }
        catch (Exception e) when (MailboxSession.Failure(e, Options) is { } failure)
        {
            await DropAsync(quit: false);
            throw failure;
        }
        for (var i = 0; i < sizes.Count; i++)
        {
            var id = uids?[i] ?? i.ToString(CultureInfo.InvariantCulture);
            if (uids is not null && leftInPlace.Contains(id)) continue;
            yield return new MailboxMessage(id, i, sizes[i]);
        }
    }

    public async Task<Stream> ReadAsync(MailboxMessage message, CancellationToken cancellationToken)
    {
        try
        {
            return await Open().GetStreamAsync(message.Index, headersOnly: false, cancellationToken);
        }
        catch (Exception e) when (MailboxSession.Failure(e, Options) is { } failure)
        {
            await DropAsync(quit: false);
            throw failure;
        }
    }

    public async Task FinishAsync(MailboxMessage message, bool handled, CancellationToken cancellationToken)
    {
        if (!handled)
        {
            Skip(message);
            return;
        }
        try
        {
            await Open().DeleteMessageAsync(message.Index, cancellationToken);
        }
        catch (Exception e) when (MailboxSession.Failure(e, Options) is { } failure)
        {
            await DropAsync(quit: false);
            throw failure;
        }
    }

    public void Skip(MailboxMessage message)
    {
        if (leftInPlace.Count >= MaxRemembered) leftInPlace.Clear();
        leftInPlace.Add(message.Id);
    }

    public async Task CloseAsync(CancellationToken cancellationToken)
    {
        var open = Open();
        client = null;
        try
        {
            // QUIT: only now does the server delete what was marked.
            await open.DisconnectAsync(quit: true, cancellationToken);
        }
        catch (Exception e) when (MailboxSession.Failure(e, Options) is { } failure)
        {
            throw failure;
        }
        finally
        {
            open.Dispose();
        }
    }

    public async Task<bool> WaitAsync(TimeSpan longest, CancellationToken cancellationToken)
    {
        await Task.Delay(longest, time, cancellationToken);
        return false;
    }

    private Pop3Client Open() => client ?? throw new InvalidOperationException("the mailbox is not open");

    /// <summary>Without QUIT the server deletes nothing: a session dropped this way undoes its deletions.</summary>
    private async Task DropAsync(bool quit)
    {
        var old = client;
        client = null;
        if (old is null) return;
        try
        {
            if (old.IsConnected) await old.DisconnectAsync(quit, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(2));
        }
        catch (Exception e) when (e is IOException or TimeoutException or System.Net.Sockets.SocketException or ProtocolException or CommandException or ServiceNotConnectedException)
        {
            // The session is being thrown away; how it ends does not matter.
        }
        finally
        {
            old.Dispose();
        }
    }

    public async ValueTask DisposeAsync() => await DropAsync(quit: false);
}

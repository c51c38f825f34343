using System.Globalization;
using System.Runtime.CompilerServices;
using MailKit;
using MailKit.Net.Imap;

namespace Blog.Inbox;

/// <summary>
/// The return mailbox over IMAP (MailKit): reads <see cref="InboxOptions.Folder"/>, moves handled mail to
/// <see cref="InboxOptions.ProcessedFolder"/> (created when missing; MOVE where offered, else COPY and expunge, as
/// MailKit does) or deletes it, and waits with IDLE where the server offers it. The connection stays open between
/// passes; a failure drops it and the next pass connects again.
/// </summary>
public sealed partial class ImapMailbox(IOptions<InboxOptions> options, TimeProvider time, ILogger<ImapMailbox> logger) : IMailbox
{
    /// <summary>Messages left where they are (unhandled, unreadable) are not read again while this runs; past this many, they are.</summary>
    private const int MaxRemembered = 100_000;

    /// <summary>
    /// Handled messages are moved this many at a time: Dovecot rewrites a Maildir's index on each MOVE, so one a
    /// message made a 10,000-message mailbox quadratic (14 messages a second). Each was committed before it joins.
    /// </summary>
    private const int MoveBatch = 200;

    private readonly byte[]? trusted = MailboxSession.LoadTrusted(options.Value.TrustedCertificatePath);
    private readonly HashSet<uint> leftInPlace = [];
    private readonly List<UniqueId> toProcessed = [];
    private readonly List<UniqueId> toUnhandled = [];
    private ImapClient? client;
    private IMailFolder? folder;
    private IMailFolder? processed;
    private IMailFolder? unhandled;
    private uint validity;

    private InboxOptions Options => options.Value;

    public string Source => "imap";

    public string Describe() => MailboxSession.Describe(Options);

    public async Task OpenAsync(CancellationToken cancellationToken)
    {
        if (client is { IsConnected: true, IsAuthenticated: true } && folder is { IsOpen: true }) return;
        await DropAsync();
        var next = new ImapClient();
        // What a dropped session had not moved yet stays in the folder; the next pass finds it committed and moves it.
        toProcessed.Clear();
        toUnhandled.Clear();
        try
        {
            await MailboxSession.ConnectAsync(next, Options, trusted, cancellationToken);
            var opened = Options.Folder.Equals("INBOX", StringComparison.OrdinalIgnoreCase) ? next.Inbox : await next.GetFolderAsync(Options.Folder, cancellationToken);
            await opened.OpenAsync(FolderAccess.ReadWrite, cancellationToken);
            processed = Options.Delete ? null : await FolderAsync(next, Options.ProcessedFolder, cancellationToken);
            unhandled = Options.UnhandledFolder.Length > 0 ? await FolderAsync(next, Options.UnhandledFolder, cancellationToken) : null;
            // Another UIDVALIDITY: the UIDs remembered name other messages now.
            if (opened.UidValidity != validity) leftInPlace.Clear();
            validity = opened.UidValidity;
            folder = opened;
            client = next;
        }
        catch (Exception e) when (MailboxSession.Failure(e, Options) is { } failure)
        {
            next.Dispose();
            throw failure;
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
        IList<IMessageSummary> summaries;
        try
        {
            // UIDs and sizes only: a few bytes a message, however large the mailbox.
            summaries = await open.FetchAsync(0, -1, MessageSummaryItems.UniqueId | MessageSummaryItems.Size, cancellationToken);
        }
        catch (Exception e) when (MailboxSession.Failure(e, Options) is { } failure)
        {
            await DropAsync();
            throw failure;
        }
        foreach (var summary in summaries)
        {
            if (leftInPlace.Contains(summary.UniqueId.Id)) continue;
            yield return new MailboxMessage(summary.UniqueId.Id.ToString(CultureInfo.InvariantCulture), summary.Index, (long)(summary.Size ?? 0));
        }
    }

    public async Task<Stream> ReadAsync(MailboxMessage message, CancellationToken cancellationToken)
    {
        try
        {
            return await Open().GetStreamAsync(Uid(message), cancellationToken);
        }
        catch (Exception e) when (MailboxSession.Failure(e, Options) is { } failure)
        {
            await DropAsync();
            throw failure;
        }
    }

    public async Task ReadManyAsync(IReadOnlyList<MailboxMessage> messages, Func<MailboxMessage, Stream, CancellationToken, Task> read, CancellationToken cancellationToken)
    {
        if (messages.Count == 0) return;
        var open = (IImapFolder)Open();
        var byUid = messages.ToDictionary(m => Uid(m).Id);
        try
        {
            // One UID FETCH BODY.PEEK[] for the batch: the server streams them back to back, no round trip a message.
            await open.GetStreamsAsync([.. messages.Select(Uid)], async (_, _, uid, stream, token) =>
            {
                if (byUid.TryGetValue(uid.Id, out var message)) await read(message, stream, token);
            }, cancellationToken);
        }
        catch (Exception e) when (MailboxSession.Failure(e, Options) is { } failure)
        {
            await DropAsync();
            throw failure;
        }
    }

    public async Task FinishAsync(MailboxMessage message, bool handled, CancellationToken cancellationToken)
    {
        var uid = Uid(message);
        if (handled) toProcessed.Add(uid);
        else if (unhandled is not null) toUnhandled.Add(uid);
        else Remember(uid.Id);
        if (toProcessed.Count >= MoveBatch || toUnhandled.Count >= MoveBatch) await FlushAsync(cancellationToken);
    }

    /// <summary>Moves (or deletes) what <see cref="FinishAsync"/> collected.</summary>
    private async Task FlushAsync(CancellationToken cancellationToken)
    {
        if (toProcessed.Count == 0 && toUnhandled.Count == 0) return;
        var open = Open();
        try
        {
            if (toProcessed.Count > 0 && processed is not null) await open.MoveToAsync(toProcessed, processed, cancellationToken);
            else if (toProcessed.Count > 0)
            {
                await open.AddFlagsAsync(toProcessed, MessageFlags.Deleted, silent: true, cancellationToken);
                // With UIDPLUS only these messages go; without it, EXPUNGE takes whatever else is marked deleted too.
                if (client!.Capabilities.HasFlag(ImapCapabilities.UidPlus)) await open.ExpungeAsync(toProcessed, cancellationToken);
                else await open.ExpungeAsync(cancellationToken);
            }
            toProcessed.Clear();
            if (toUnhandled.Count > 0 && unhandled is not null) await open.MoveToAsync(toUnhandled, unhandled, cancellationToken);
            toUnhandled.Clear();
        }
        catch (Exception e) when (MailboxSession.Failure(e, Options) is { } failure)
        {
            await DropAsync();
            throw failure;
        }
    }

    public void Skip(MailboxMessage message) => Remember(Uid(message).Id);

    public Task CloseAsync(CancellationToken cancellationToken) => FlushAsync(cancellationToken);

    public async Task<bool> WaitAsync(TimeSpan longest, CancellationToken cancellationToken)
    {
        if (client is null || folder is null)
        {
            await Task.Delay(longest, time, cancellationToken);
            return false;
        }
        var open = folder;
        try
        {
            // Anything that came during the pass (and that the server may have told already): no need to wait.
            await client.NoOpAsync(cancellationToken);
            if (open.Count > leftInPlace.Count) return true;
            if (!client.Capabilities.HasFlag(ImapCapabilities.Idle))
            {
                await Task.Delay(longest, time, cancellationToken);
                return false;
            }
            var before = open.Count;
            using var done = new CancellationTokenSource(longest, time);
            void Arrived(object? sender, EventArgs e)
            {
                if (open.Count > before) done.Cancel();
            }
            open.CountChanged += Arrived;
            try
            {
                Log.Idling(logger, Describe(), open.FullName);
                await client.IdleAsync(done.Token, cancellationToken);
            }
            finally
            {
                open.CountChanged -= Arrived;
            }
            return open.Count > before;
        }
        catch (Exception e) when (MailboxSession.Failure(e, Options) is { } failure)
        {
            await DropAsync();
            throw failure;
        }
    }

    private IMailFolder Open() => folder ?? throw new InvalidOperationException("the mailbox is not open");

    private UniqueId Uid(MailboxMessage message) => new(validity, uint.Parse(message.Id, CultureInfo.InvariantCulture));

    private void Remember(uint uid)
    {
        if (leftInPlace.Count >= MaxRemembered) leftInPlace.Clear();
        leftInPlace.Add(uid);
    }

    private async Task<IMailFolder> FolderAsync(ImapClient open, string name, CancellationToken cancellationToken)
    {
        try
        {
            return await open.GetFolderAsync(name, cancellationToken);
        }
        catch (FolderNotFoundException)
        {
            var root = open.GetFolder(open.PersonalNamespaces[0]);
            var created = await root.CreateAsync(name, isMessageFolder: true, cancellationToken)
                ?? throw new InboxException($"{Describe()}: could not create the folder \"{name}\" (create it, or check Mail:Inbox:ProcessedFolder)");
            Log.FolderCreated(logger, Describe(), created.FullName);
            return created;
        }
    }

    private async Task DropAsync()
    {
        var old = client;
        client = null;
        folder = null;
        if (old is null) return;
        try
        {
            if (old.IsConnected) await old.DisconnectAsync(quit: true, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(2));
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

    public async ValueTask DisposeAsync() => await DropAsync();

    private static partial class Log
    {
        [LoggerMessage(LogEvents.ImapMailbox.FolderCreated, LogLevel.Information, "Created the folder {Folder} on {Server}")]
        public static partial void FolderCreated(ILogger logger, string server, string folder);

        [LoggerMessage(LogEvents.ImapMailbox.Idling, LogLevel.Debug, "Waiting in IDLE for mail in {Folder} on {Server}")]
        public static partial void Idling(ILogger logger, string server, string folder);
    }
}

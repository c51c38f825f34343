namespace Blog.Inbox;

/// <summary>
/// The return mailbox as the pass sees it, over IMAP or POP3. A pass opens it, reads the messages present then, one
/// at a time, finishes each (moved, deleted or left) and closes it; only then is a POP3 deletion final. Failures to
/// reach or use the server are <see cref="InboxException"/>s.
/// </summary>
public interface IMailbox : IAsyncDisposable
{
    /// <summary><c>imap</c> or <c>pop3</c>: the source of the events it yields.</summary>
    string Source { get; }

    /// <summary>The server, for messages: <c>host:port</c>.</summary>
    string Describe();

    Task OpenAsync(CancellationToken cancellationToken);

    /// <summary>The messages in the mailbox when the pass began, without those this mailbox already left in place.</summary>
    IAsyncEnumerable<MailboxMessage> MessagesAsync(CancellationToken cancellationToken);

    /// <summary>A message's bytes, as the server holds them.</summary>
    Task<Stream> ReadAsync(MailboxMessage message, CancellationToken cancellationToken);

    /// <summary>
    /// Several messages' bytes, with one request where the protocol allows it (IMAP): each is handed to
    /// <paramref name="read"/>, in the server's order, and is gone once it returns. Messages the server no longer has
    /// are left out. By default one <see cref="ReadAsync"/> each.
    /// </summary>
    async Task ReadManyAsync(IReadOnlyList<MailboxMessage> messages, Func<MailboxMessage, Stream, CancellationToken, Task> read, CancellationToken cancellationToken)
    {
        foreach (var message in messages)
        {
            await using var stream = await ReadAsync(message, cancellationToken);
            await read(message, stream, cancellationToken);
        }
    }

    /// <summary>Handled mail is moved to the processed folder (or deleted); unhandled mail is left, or moved to the unhandled folder.</summary>
    Task FinishAsync(MailboxMessage message, bool handled, CancellationToken cancellationToken);

    /// <summary>A message the pass could not act on (unreadable, or its result could not be recorded): left in place, and not read again while this runs.</summary>
    void Skip(MailboxMessage message);

    /// <summary>Ends the pass: what <see cref="FinishAsync"/> asked is carried out and final (IMAP moves the last batch, POP3 deletes at QUIT).</summary>
    Task CloseAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Waits until mail may have arrived, at most <paramref name="longest"/>: with IMAP IDLE, until the server says so;
    /// otherwise the whole time. True when the server said so.
    /// </summary>
    Task<bool> WaitAsync(TimeSpan longest, CancellationToken cancellationToken);
}

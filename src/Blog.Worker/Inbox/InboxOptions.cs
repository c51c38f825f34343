using Blog.Mail;

namespace Blog.Inbox;

/// <summary>
/// The <c>Mail:Inbox</c> section: the mailbox that bounces, complaints and unsubscribe requests arrive in (the one
/// <c>Mail:ReturnPath</c> and <c>Mail:UnsubscribeMailbox</c> deliver to). Off while <see cref="Host"/> is empty. The
/// password is never logged.
/// </summary>
public sealed class InboxOptions
{
    public const string Section = "Mail:Inbox";

    public InboxProtocol Protocol { get; set; } = InboxProtocol.Imap;

    public string Host { get; set; } = "";

    /// <summary>0 means the protocol's usual port: 143 (IMAP), 110 (POP3), or 993 and 995 with <see cref="SmtpSecurity.SslOnConnect"/>.</summary>
    public int Port { get; set; }

    /// <summary>As <c>Mail:Smtp:Security</c>: the password is only ever sent over TLS, unless <see cref="SmtpSecurity.None"/> says otherwise.</summary>
    public SmtpSecurity Security { get; set; } = SmtpSecurity.Auto;

    public string User { get; set; } = "";
    public string Password { get; set; } = "";

    /// <summary>The folder read (IMAP).</summary>
    public string Folder { get; set; } = "INBOX";

    /// <summary>Handled mail is moved here (IMAP), created when missing; never deleted unless <see cref="Delete"/>.</summary>
    public string ProcessedFolder { get; set; } = "Processed";

    /// <summary>Mail that is none of ours to act on is moved here (IMAP); empty leaves it where it is, for the owner to read.</summary>
    public string UnhandledFolder { get; set; } = "";

    /// <summary>Delete handled mail instead of moving it (IMAP). POP3 always deletes it, once its result is committed.</summary>
    public bool Delete { get; set; }

    /// <summary>How often the mailbox is read when the server cannot say that mail arrived (POP3, or IMAP without IDLE); with IDLE, how often the wait is renewed.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>As <c>Mail:Smtp:TrustedCertificatePath</c>: a PEM certificate to accept for this server although no CA vouches for it.</summary>
    public string TrustedCertificatePath { get; set; } = "";

    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>A larger message is not downloaded: it is counted unhandled and left for the owner. Bounds each message's memory.</summary>
    public int MaxMessageBytes { get; set; } = 4 * 1024 * 1024;

    /// <summary>
    /// Messages fetched with one request and committed in one transaction; the batch is also cut at a few MB. Each
    /// commit is a synced write, so larger batches read faster; a kill between a commit and its move costs nothing
    /// twice whatever the size (the next pass finds the batch committed and only moves it).
    /// </summary>
    public int BatchSize { get; set; } = 200;

    /// <summary>
    /// Only for the kill test (tests/Inbox): a FIFO the pass writes each message's key to once its result is
    /// committed, then waits on for a line back before it moves the message. Not in appsettings.json; empty is off.
    /// </summary>
    public string CommitSignalPath { get; set; } = "";

    public bool Enabled => Host.Length > 0;

    internal int EffectivePort => Port != 0 ? Port : (Protocol, Security) switch
    {
        (InboxProtocol.Imap, SmtpSecurity.SslOnConnect) => 993,
        (InboxProtocol.Imap, _) => 143,
        (InboxProtocol.Pop3, SmtpSecurity.SslOnConnect) => 995,
        _ => 110,
    };
}

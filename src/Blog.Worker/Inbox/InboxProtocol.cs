namespace Blog.Inbox;

public enum InboxProtocol
{
    /// <summary>Reads <see cref="InboxOptions.Folder"/>, waits with IDLE when the server offers it, moves handled mail to <see cref="InboxOptions.ProcessedFolder"/>.</summary>
    Imap,

    /// <summary>Reads the one mailbox POP3 has; handled mail is deleted once its result is committed.</summary>
    Pop3,
}

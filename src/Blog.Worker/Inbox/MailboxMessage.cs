namespace Blog.Inbox;

/// <summary>One message as a mailbox lists it: its place there (an IMAP UID, a POP3 number and UIDL) and its size.</summary>
public sealed record MailboxMessage(string Id, int Index, long Size);

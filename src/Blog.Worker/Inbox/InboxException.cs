namespace Blog.Inbox;

/// <summary>The mailbox could not be reached or used (connection, TLS, login, folder); the message says which and what to check.</summary>
public sealed class InboxException : Exception
{
    public InboxException(string message, Exception? inner = null) : base(message, inner)
    {
    }

    public InboxException()
    {
    }

    public InboxException(string message) : base(message)
    {
    }
}

namespace Blog.Inbox;

public enum InboxVerdictKind
{
    /// <summary>A bounce, a complaint or an unsubscribe request: one finding or more, each recorded against its subscriber.</summary>
    Feedback,

    /// <summary>An auto-reply or out-of-office (RFC 3834): never a bounce; handled, and nothing changes.</summary>
    Ignored,

    /// <summary>Anything else: left for the owner to read, and counted.</summary>
    Unhandled,
}

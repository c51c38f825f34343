namespace Blog.Admin.Access;

/// <summary>Where a setup link stands.</summary>
public enum SetupLinkState
{
    Unknown,
    Valid,
    Used,
    Expired,
    /// <summary>An account exists already: setup is over, whatever the link.</summary>
    Done,
}

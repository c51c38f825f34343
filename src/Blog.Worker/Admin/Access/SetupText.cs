namespace Blog.Admin.Access;

/// <summary>What the owner is told about a setup link that no longer works, and how to get one that does.</summary>
public static class SetupText
{
    public const string HowToGetAnother =
        "Restart the service: while no account exists, it prints a new link at every start. Or create the account on the server with " +
        "blog admin add-user NAME.";

    public static string Why(SetupLinkState state) => state switch
    {
        SetupLinkState.Used => "This setup link has been used already: a link works once.",
        SetupLinkState.Expired => "This setup link has expired.",
        SetupLinkState.Done => "The console has an account already: setup is over. Sign in instead.",
        _ => "This setup link is not valid: it was replaced by a newer one, or mistyped.",
    };
}

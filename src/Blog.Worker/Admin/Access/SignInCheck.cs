namespace Blog.Admin.Access;

/// <summary>What a name and password sign-in came to.</summary>
/// <param name="Account">Set when the password was right and nothing is locked.</param>
/// <param name="LockedUntil">Set when the account or the client is locked (perhaps by this very failure): try again after it.</param>
/// <param name="Refused">True when the password was never checked, because a lock was already in place.</param>
public sealed record SignInCheck(AdminAccount? Account, DateTimeOffset? LockedUntil, bool Refused = false)
{
    public static readonly SignInCheck Wrong = new(null, null);
}

namespace Blog.Admin.Access;

/// <summary>The console's owners, their lockout, and the one-time setup link (table <c>admin_users</c> and its neighbours).</summary>
public interface IAdminAccounts
{
    /// <exception cref="AdminAccountException">The name or password breaks <see cref="AccountRules"/>, or the name is taken.</exception>
    Task<AdminAccount> CreateAsync(string name, string password, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Deletes the account (and so ends its sessions, whose stamp no longer matches anything). False when there was none.</summary>
    Task<bool> RemoveAsync(string name, CancellationToken cancellationToken);

    Task<IReadOnlyList<AdminAccount>> ListAsync(CancellationToken cancellationToken);

    Task<bool> AnyAsync(CancellationToken cancellationToken);

    Task<AdminAccount?> FindAsync(string name, CancellationToken cancellationToken);

    Task<AdminAccount?> FindAsync(long id, CancellationToken cancellationToken);

    /// <summary>The account's current stamp, or null once it is removed: what every request's session is checked against.</summary>
    Task<string?> StampAsync(long id, CancellationToken cancellationToken);

    /// <summary>
    /// A sign-in by name and password from <paramref name="client"/>: refused unasked while the account or the client is
    /// locked; otherwise the password is checked (as long for a name nobody has) and the failure or success recorded.
    /// </summary>
    Task<SignInCheck> SignInAsync(string name, string password, string client, SignInLimits limits, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Whether the password is the account's, recording nothing (a password change confirms the current one).</summary>
    Task<bool> VerifyPasswordAsync(long id, string password, CancellationToken cancellationToken);

    /// <summary>A failed sign-in for the account (a wrong passkey, say): locks it after <see cref="SignInLimits.MaxFailures"/> in a row.</summary>
    Task<DateTimeOffset?> RecordFailureAsync(long id, SignInLimits limits, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>A sign-in that succeeded: the account's failures start again from none.</summary>
    Task RecordSuccessAsync(long id, CancellationToken cancellationToken);

    /// <summary>Sets a new password and a new stamp (other sessions end); returns the new stamp.</summary>
    /// <exception cref="AdminAccountException">The password breaks <see cref="AccountRules"/>.</exception>
    Task<string> SetPasswordAsync(long id, string password, CancellationToken cancellationToken);

    /// <summary>A new stamp: every session of the account ends. Returns it.</summary>
    Task<string> RotateStampAsync(long id, CancellationToken cancellationToken);

    /// <summary>Replaces every setup link by this one (only its hash is kept).</summary>
    Task NewSetupLinkAsync(string tokenHash, DateTimeOffset expires, CancellationToken cancellationToken);

    Task<SetupLinkState> SetupLinkAsync(string tokenHash, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Creates the first account with the setup link, and uses the link up, in one transaction.</summary>
    /// <exception cref="AdminAccountException">The link is not <see cref="SetupLinkState.Valid"/>, or the name or password breaks the rules.</exception>
    Task<AdminAccount> CreateFirstAsync(string tokenHash, string name, string password, DateTimeOffset now, CancellationToken cancellationToken);
}

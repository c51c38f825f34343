namespace Blog.Admin.Passkeys;

/// <summary>The owners' passkeys (table <c>admin_passkeys</c>), and whether an account requires one.</summary>
public interface IPasskeyStore
{
    /// <summary>WebAuthn caps a credential id at 1023 bytes; longer is not a credential.</summary>
    const int MaxCredentialIdBytes = 1023;

    /// <summary>Adds a passkey. False when the credential id is already registered (to this account or another).</summary>
    Task<bool> AddAsync(AdminPasskey passkey, CancellationToken cancellationToken);

    /// <summary>The account's passkeys, oldest first.</summary>
    Task<IReadOnlyList<AdminPasskey>> ListAsync(long userId, CancellationToken cancellationToken);

    Task<AdminPasskey?> FindAsync(ImmutableArray<byte> credentialId, CancellationToken cancellationToken);

    /// <summary>
    /// A successful sign-in with the passkey: its counter becomes <paramref name="signCount"/> and its last use
    /// <paramref name="at"/>, only if the stored counter is still below (or both are 0, an authenticator that keeps
    /// none). False otherwise: another use with that count got there first, a replay or a cloned key.
    /// </summary>
    Task<bool> RecordUseAsync(ImmutableArray<byte> credentialId, uint signCount, DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>
    /// Removes the account's passkey; when it was the last, the account no longer requires one (it could not sign in
    /// otherwise). False when the account has no such passkey.
    /// </summary>
    Task<bool> RemoveAsync(long userId, ImmutableArray<byte> credentialId, CancellationToken cancellationToken);

    /// <summary>Sets whether a password alone signs the account in. Requiring one is refused (false) while the account has no passkey.</summary>
    Task<bool> RequireAsync(long userId, bool required, CancellationToken cancellationToken);
}

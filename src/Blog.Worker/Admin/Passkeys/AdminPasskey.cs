namespace Blog.Admin.Passkeys;

/// <summary>A passkey an owner registered: the public half of a WebAuthn credential, never anything secret.</summary>
/// <param name="CredentialId">The authenticator's id for the credential, as it sent it (at most <see cref="IPasskeyStore.MaxCredentialIdBytes"/>).</param>
/// <param name="PublicKey">The COSE-encoded public key that checks its signatures.</param>
/// <param name="SignCount">The authenticator's counter at its last use: a later use must show a higher one, or none at all (0).</param>
/// <param name="Name">What the owner called it, to tell it apart on the account page.</param>
public sealed record AdminPasskey(ImmutableArray<byte> CredentialId, long UserId, ImmutableArray<byte> PublicKey, uint SignCount, string Name,
    DateTimeOffset CreatedAt, DateTimeOffset? LastUsedAt);

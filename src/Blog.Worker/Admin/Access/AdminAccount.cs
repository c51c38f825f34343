namespace Blog.Admin.Access;

/// <summary>An owner who may sign in to the console. Never carries the password's hash out of the store.</summary>
/// <param name="Name">The name, case-folded as it is stored and compared.</param>
/// <param name="SecurityStamp">Changes when every session must end (sign out everywhere); sessions carry the one they began with.</param>
/// <param name="RequirePasskey">A password alone does not sign this account in: a passkey must follow.</param>
/// <param name="UserHandle">The account's WebAuthn user handle: random, stable, and not the name.</param>
/// <param name="LockedUntil">Too many failed sign-ins: refused until then.</param>
public sealed record AdminAccount(long Id, string Name, string SecurityStamp, bool RequirePasskey, ImmutableArray<byte> UserHandle,
    DateTimeOffset CreatedAt, int FailedSignIns, DateTimeOffset? LockedUntil)
{
    public bool IsLocked(DateTimeOffset now) => LockedUntil is { } until && until > now;
}

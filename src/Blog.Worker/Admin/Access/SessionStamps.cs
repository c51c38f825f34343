using System.Collections.Concurrent;
using System.Security.Claims;

namespace Blog.Admin.Access;

/// <summary>
/// Checks a session's security stamp against the account's on every request, so "sign out everywhere" and
/// <c>blog admin remove-user</c> end every session on every node. What was read is kept two seconds at most: a
/// console page's own requests (its stylesheet, its charts) cost one query, and a change here is seen at once.
/// </summary>
internal sealed class SessionStamps(IAdminAccounts accounts, TimeProvider time)
{
    public const string StampClaim = "blog:stamp";

    private static readonly TimeSpan Kept = TimeSpan.FromSeconds(2);

    /// <summary>Grows with the accounts signed in, which are few; a removed account's entry goes with its next check.</summary>
    private readonly ConcurrentDictionary<long, (string? Stamp, DateTimeOffset ReadAt)> read = new();

    public static ClaimsPrincipal Principal(AdminAccount account, string scheme) => new(new ClaimsIdentity(
    [
        new Claim(ClaimTypes.NameIdentifier, account.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        new Claim(ClaimTypes.Name, account.Name),
        new Claim(StampClaim, account.SecurityStamp),
    ], scheme));

    public static long? AccountId(ClaimsPrincipal? user) =>
        long.TryParse(user?.FindFirstValue(ClaimTypes.NameIdentifier), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var id)
            ? id : null;

    public async Task<bool> IsCurrentAsync(ClaimsPrincipal? user, CancellationToken cancellationToken)
    {
        if (AccountId(user) is not { } id || user!.FindFirstValue(StampClaim) is not { } stamp) return false;
        var now = time.GetUtcNow();
        if (!read.TryGetValue(id, out var known) || now - known.ReadAt >= Kept || now < known.ReadAt)
        {
            known = (await accounts.StampAsync(id, cancellationToken), now);
            if (known.Stamp is null) read.TryRemove(id, out _);
            else read[id] = known;
        }
        return known.Stamp is not null && System.Security.Cryptography.CryptographicOperations.FixedTimeEquals(
            System.Text.Encoding.UTF8.GetBytes(known.Stamp), System.Text.Encoding.UTF8.GetBytes(stamp));
    }

    /// <summary>This node changed or removed the account: its next request reads the stamp again.</summary>
    public void Forget(long id) => read.TryRemove(id, out _);
}

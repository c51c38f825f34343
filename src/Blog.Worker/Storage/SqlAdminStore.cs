using System.Data.Common;
using System.Globalization;
using System.Security.Cryptography;
using Blog.Admin.Access;
using Microsoft.AspNetCore.Identity;
using static Blog.Storage.SqlValues;

namespace Blog.Storage;

/// <summary>
/// The console's owners, in SQLite or PostgreSQL: accounts (<c>admin_users</c>), failed sign-ins per client
/// (<c>admin_client_failures</c>), the setup link (<c>admin_setup</c>) and the cookie keys (<c>admin_keys</c>).
/// Passwords are kept as ASP.NET Core Identity's PBKDF2 hashes.
/// </summary>
public sealed class SqlAdminStore(Database database) : IAdminAccounts, IConsoleKeys
{
    private const string Columns = "id, name, security_stamp, require_passkey, user_handle, created_at, failed_signins, locked_until";

    /// <summary>A client key is a network address: bounded, whatever a proxy header claimed.</summary>
    private const int MaxClientLength = 64;

    /// <summary>Keys kept at most: the data-protection key ring adds one every 90 days; anything past this is not ours.</summary>
    private const int MaxKeys = 1000;

    private static readonly PasswordHasher<AdminAccount> Hasher = new();

    // Checked against when the name is nobody's, so a wrong name costs what a wrong password does and says nothing.
    private static readonly Lazy<string> DummyHash = new(() => Hasher.HashPassword(null!, Convert.ToBase64String(RandomNumberGenerator.GetBytes(18))));

    public async Task<AdminAccount> CreateAsync(string name, string password, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var folded = AccountRules.Name(name);
        AccountRules.Password(folded, password);
        var hash = Hasher.HashPassword(null!, password);
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await database.BeginGuardedAsync(connection, "admin_users", cancellationToken);
        var account = await InsertAsync(connection, transaction, folded, hash, now, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return account;
    }

    private static async Task<AdminAccount> InsertAsync(DbConnection connection, DbTransaction transaction, string name, string hash, DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        if (await FindAsync(connection, transaction, "name = @key", name, cancellationToken) is not null)
            throw new AdminAccountException($"there is already an account named \"{name}\"");
        await using (var insert = connection.Command(
            "INSERT INTO admin_users (name, password_hash, require_passkey, user_handle, security_stamp, failed_signins, created_at) " +
            "VALUES (@name, @hash, 0, @handle, @stamp, 0, @at)", transaction,
            ("@name", name), ("@hash", hash), ("@handle", RandomNumberGenerator.GetBytes(32)), ("@stamp", NewStamp()), ("@at", Time(now))))
            await insert.ExecuteNonQueryAsync(cancellationToken);
        return (await FindAsync(connection, transaction, "name = @key", name, cancellationToken))!;
    }

    public async Task<bool> RemoveAsync(string name, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var delete = connection.Command("DELETE FROM admin_users WHERE name = @name", null, ("@name", name.ToLowerInvariant()));
        return await delete.ExecuteNonQueryAsync(cancellationToken) > 0;
    }

    public async Task<IReadOnlyList<AdminAccount>> ListAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var select = connection.Command($"SELECT {Columns} FROM admin_users ORDER BY name");
        await using var reader = await select.ExecuteReaderAsync(cancellationToken);
        var accounts = new List<AdminAccount>();
        while (await reader.ReadAsync(cancellationToken)) accounts.Add(Account(reader));
        return accounts;
    }

    public async Task<bool> AnyAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var select = connection.Command("SELECT 1 FROM admin_users LIMIT 1");
        return await select.ExecuteScalarAsync(cancellationToken) is not null;
    }

    public async Task<AdminAccount?> FindAsync(string name, CancellationToken cancellationToken)
    {
        if (name.Length is 0 or > AccountRules.MaxNameLength) return null;
        await using var connection = await database.OpenAsync(cancellationToken);
        return await FindAsync(connection, null, "name = @key", name.ToLowerInvariant(), cancellationToken);
    }

    public async Task<AdminAccount?> FindAsync(long id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await FindAsync(connection, null, "id = @key", id, cancellationToken);
    }

    public async Task<string?> StampAsync(long id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var select = connection.Command("SELECT security_stamp FROM admin_users WHERE id = @id", null, ("@id", id));
        return await select.ExecuteScalarAsync(cancellationToken) as string;
    }

    public async Task<SignInCheck> SignInAsync(string name, string password, string client, SignInLimits limits, DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        client = client.Length > MaxClientLength ? client[..MaxClientLength] : client;
        await using var connection = await database.OpenAsync(cancellationToken);
        var account = name.Length is 0 or > AccountRules.MaxNameLength ? null
            : await FindAsync(connection, null, "name = @key", name.ToLowerInvariant(), cancellationToken);
        if (account is not null && account.IsLocked(now)) return new SignInCheck(null, account.LockedUntil, Refused: true);
        // Each guess is counted (reserved) in one statement BEFORE the slow hash, so a burst of parallel attempts cannot
        // all pass the lock check: at most the limit get checked, the rest are refused unasked. A right password gives it back.
        var clientLocked = await ReserveClientAsync(connection, client, limits, now, cancellationToken);
        if (clientLocked.Refused) return new SignInCheck(null, clientLocked.Until, Refused: true);
        var accountLocked = (Refused: false, Until: (DateTimeOffset?)null);
        if (account is not null)
        {
            accountLocked = await ReserveAccountAsync(connection, account.Id, limits, now, cancellationToken);
            if (accountLocked.Refused)
            {
                await GiveBackClientAsync(connection, client, cancellationToken);
                return new SignInCheck(null, accountLocked.Until, Refused: true);
            }
        }
        var hash = account is null ? null : await HashAsync(connection, account.Id, cancellationToken);
        var bounded = password.Length > AccountRules.MaxPasswordLength ? "" : password;
        var verdict = Hasher.VerifyHashedPassword(null!, hash ?? DummyHash.Value, bounded);
        if (account is null || hash is null || verdict == PasswordVerificationResult.Failed || bounded.Length == 0)
            return new SignInCheck(null, Later(clientLocked.Until, accountLocked.Until));
        if (verdict == PasswordVerificationResult.SuccessRehashNeeded)
        {
            await using var rehash = connection.Command("UPDATE admin_users SET password_hash = @hash WHERE id = @id", null,
                ("@hash", Hasher.HashPassword(null!, password)), ("@id", account.Id));
            await rehash.ExecuteNonQueryAsync(cancellationToken);
        }
        await using (var forgive = connection.Command("DELETE FROM admin_client_failures WHERE client = @client", null, ("@client", client)))
            await forgive.ExecuteNonQueryAsync(cancellationToken);
        await RecordSuccessAsync(connection, account.Id, cancellationToken);
        return new SignInCheck(account with { FailedSignIns = 0, LockedUntil = null }, null);
    }

    /// <summary>The account's guess is taken back: it was never made (the client was locked).</summary>
    private static async Task GiveBackClientAsync(DbConnection connection, string client, CancellationToken cancellationToken)
    {
        await using var update = connection.Command(
            "UPDATE admin_client_failures SET failures = failures - 1 WHERE client = @client AND failures > 0", null, ("@client", client));
        await update.ExecuteNonQueryAsync(cancellationToken);
    }

    private static DateTimeOffset? Later(DateTimeOffset? a, DateTimeOffset? b) => a is null ? b : b is null ? a : a > b ? a : b;

    private static DateTimeOffset FromTime(object value) => DateTimeOffset.FromUnixTimeMilliseconds(Convert.ToInt64(value, CultureInfo.InvariantCulture));

    /// <summary>
    /// Counts an attempt from <paramref name="client"/> unless it is locked (then Refused, with when it ends); the attempt
    /// that reaches the limit locks it and is still checked (Until set).
    /// </summary>
    private static async Task<(bool Refused, DateTimeOffset? Until)> ReserveClientAsync(DbConnection connection, string client, SignInLimits limits,
        DateTimeOffset now, CancellationToken cancellationToken)
    {
        var since = Time(now - limits.LockoutTime);
        // Bounded: a row lives one lockout time after its last failure or the end of its lock; every attempt sweeps the rest.
        await using (var prune = connection.Command(
            "DELETE FROM admin_client_failures WHERE first_at < @since AND (locked_until IS NULL OR locked_until < @now)", null,
            ("@since", since), ("@now", Time(now))))
            await prune.ExecuteNonQueryAsync(cancellationToken);
        // Failures in a row within one lockout time; the one that reaches the limit locks the client and starts it over.
        // The WHERE makes it one atomic test-and-count: a locked client's row is left as it is and nothing is returned.
        const string Count = "(CASE WHEN admin_client_failures.first_at < @since THEN 1 ELSE admin_client_failures.failures + 1 END)";
        await using (var upsert = connection.Command(
            $"""
            INSERT INTO admin_client_failures (client, failures, first_at, locked_until)
            VALUES (@client, CASE WHEN 1 >= @max THEN 0 ELSE 1 END, @now, CASE WHEN 1 >= @max THEN @until ELSE NULL END)
            ON CONFLICT (client) DO UPDATE SET
                failures = CASE WHEN {Count} >= @max THEN 0 ELSE {Count} END,
                first_at = CASE WHEN {Count} >= @max OR admin_client_failures.first_at < @since THEN @now ELSE admin_client_failures.first_at END,
                locked_until = CASE WHEN {Count} >= @max THEN @until ELSE admin_client_failures.locked_until END
            WHERE admin_client_failures.locked_until IS NULL OR admin_client_failures.locked_until <= @now
            RETURNING locked_until
            """, null, ("@client", client), ("@max", (long)limits.MaxFailures), ("@now", Time(now)), ("@since", since), ("@until", Time(now + limits.LockoutTime))))
        await using (var reader = await upsert.ExecuteReaderAsync(cancellationToken))
        {
            if (await reader.ReadAsync(cancellationToken))
                return (false, reader.IsDBNull(0) || reader.GetInt64(0) <= now.ToUnixTimeMilliseconds() ? null : FromTime(reader.GetInt64(0)));
        }
        await using var locked = connection.Command("SELECT locked_until FROM admin_client_failures WHERE client = @client", null, ("@client", client));
        return (true, await locked.ExecuteScalarAsync(cancellationToken) is { } until and not DBNull ? FromTime(until) : now + limits.LockoutTime);
    }

    /// <summary>The account's counterpart of <see cref="ReserveClientAsync"/>.</summary>
    private static async Task<(bool Refused, DateTimeOffset? Until)> ReserveAccountAsync(DbConnection connection, long id, SignInLimits limits,
        DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using (var update = connection.Command(
            "UPDATE admin_users SET failed_signins = CASE WHEN failed_signins + 1 >= @max THEN 0 ELSE failed_signins + 1 END, " +
            "locked_until = CASE WHEN failed_signins + 1 >= @max THEN @until ELSE locked_until END " +
            "WHERE id = @id AND (locked_until IS NULL OR locked_until <= @now) RETURNING locked_until", null,
            ("@max", (long)limits.MaxFailures), ("@until", Time(now + limits.LockoutTime)), ("@id", id), ("@now", Time(now))))
        await using (var reader = await update.ExecuteReaderAsync(cancellationToken))
        {
            if (await reader.ReadAsync(cancellationToken))
                return (false, reader.IsDBNull(0) || reader.GetInt64(0) <= now.ToUnixTimeMilliseconds() ? null : FromTime(reader.GetInt64(0)));
        }
        await using var locked = connection.Command("SELECT locked_until FROM admin_users WHERE id = @id", null, ("@id", id));
        return (true, await locked.ExecuteScalarAsync(cancellationToken) is { } until and not DBNull ? FromTime(until) : null);
    }

    public async Task<bool> VerifyPasswordAsync(long id, string password, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var hash = await HashAsync(connection, id, cancellationToken);
        if (password.Length > AccountRules.MaxPasswordLength) return false;
        return Hasher.VerifyHashedPassword(null!, hash ?? DummyHash.Value, password) != PasswordVerificationResult.Failed && hash is not null;
    }

    public async Task<DateTimeOffset?> RecordFailureAsync(long id, SignInLimits limits, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await RecordFailureAsync(connection, id, limits, now, cancellationToken);
    }

    private static async Task<DateTimeOffset?> RecordFailureAsync(DbConnection connection, long id, SignInLimits limits, DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        // One statement, so failures from two nodes at once both count; the one that reaches the limit locks and starts over.
        await using (var update = connection.Command(
            "UPDATE admin_users SET failed_signins = CASE WHEN failed_signins + 1 >= @max THEN 0 ELSE failed_signins + 1 END, " +
            "locked_until = CASE WHEN failed_signins + 1 >= @max THEN @until ELSE locked_until END WHERE id = @id", null,
            ("@max", (long)limits.MaxFailures), ("@until", Time(now + limits.LockoutTime)), ("@id", id)))
            await update.ExecuteNonQueryAsync(cancellationToken);
        await using var locked = connection.Command("SELECT locked_until FROM admin_users WHERE id = @id AND locked_until > @now", null,
            ("@id", id), ("@now", Time(now)));
        return await locked.ExecuteScalarAsync(cancellationToken) is { } until and not DBNull ? FromTime(until) : null;
    }

    public async Task RecordSuccessAsync(long id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await RecordSuccessAsync(connection, id, cancellationToken);
    }

    private static async Task RecordSuccessAsync(DbConnection connection, long id, CancellationToken cancellationToken)
    {
        await using var update = connection.Command("UPDATE admin_users SET failed_signins = 0, locked_until = NULL WHERE id = @id", null, ("@id", id));
        await update.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<string> SetPasswordAsync(long id, string password, CancellationToken cancellationToken)
    {
        var account = await FindAsync(id, cancellationToken) ?? throw new AdminAccountException("the account no longer exists");
        AccountRules.Password(account.Name, password);
        var stamp = NewStamp();
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var update = connection.Command("UPDATE admin_users SET password_hash = @hash, security_stamp = @stamp WHERE id = @id", null,
            ("@hash", Hasher.HashPassword(null!, password)), ("@stamp", stamp), ("@id", id));
        if (await update.ExecuteNonQueryAsync(cancellationToken) == 0) throw new AdminAccountException("the account no longer exists");
        return stamp;
    }

    public async Task<string> RotateStampAsync(long id, CancellationToken cancellationToken)
    {
        var stamp = NewStamp();
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var update = connection.Command("UPDATE admin_users SET security_stamp = @stamp WHERE id = @id", null, ("@stamp", stamp), ("@id", id));
        await update.ExecuteNonQueryAsync(cancellationToken);
        return stamp;
    }

    public async Task NewSetupLinkAsync(string tokenHash, DateTimeOffset expires, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await database.BeginGuardedAsync(connection, "admin_setup", cancellationToken);
        await using (var delete = connection.Command("DELETE FROM admin_setup", transaction))
            await delete.ExecuteNonQueryAsync(cancellationToken);
        await using (var insert = connection.Command("INSERT INTO admin_setup (token_hash, expires_at) VALUES (@hash, @expires)", transaction,
            ("@hash", tokenHash), ("@expires", Time(expires))))
            await insert.ExecuteNonQueryAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    public async Task<SetupLinkState> SetupLinkAsync(string tokenHash, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await SetupLinkAsync(connection, null, tokenHash, now, cancellationToken);
    }

    private static async Task<SetupLinkState> SetupLinkAsync(DbConnection connection, DbTransaction? transaction, string tokenHash, DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        await using var select = connection.Command("SELECT expires_at, used_at FROM admin_setup WHERE token_hash = @hash", transaction, ("@hash", tokenHash));
        await using var reader = await select.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken)) return SetupLinkState.Unknown;
        if (!reader.IsDBNull(1)) return SetupLinkState.Used;
        return DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(0)) <= now ? SetupLinkState.Expired : SetupLinkState.Valid;
    }

    public async Task<AdminAccount> CreateFirstAsync(string tokenHash, string name, string password, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var folded = AccountRules.Name(name);
        AccountRules.Password(folded, password);
        var hash = Hasher.HashPassword(null!, password);
        await using var connection = await database.OpenAsync(cancellationToken);
        // One guard for both: two browsers sent the one link at once create one account.
        await using var transaction = await database.BeginGuardedAsync(connection, "admin_users", cancellationToken);
        var state = await SetupLinkAsync(connection, transaction, tokenHash, now, cancellationToken);
        await using (var any = connection.Command("SELECT 1 FROM admin_users LIMIT 1", transaction))
            if (state == SetupLinkState.Valid && await any.ExecuteScalarAsync(cancellationToken) is not null) state = SetupLinkState.Done;
        if (state != SetupLinkState.Valid) throw new AdminAccountException(SetupText.Why(state));
        var account = await InsertAsync(connection, transaction, folded, hash, now, cancellationToken);
        await using (var use = connection.Command("UPDATE admin_setup SET used_at = @now WHERE token_hash = @hash", transaction,
            ("@now", Time(now)), ("@hash", tokenHash)))
            await use.ExecuteNonQueryAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return account;
    }

    public async Task<IReadOnlyList<string>> KeysAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var select = connection.Command($"SELECT xml FROM admin_keys ORDER BY name LIMIT {MaxKeys}");
        await using var reader = await select.ExecuteReaderAsync(cancellationToken);
        var keys = new List<string>();
        while (await reader.ReadAsync(cancellationToken)) keys.Add(reader.GetString(0));
        return keys;
    }

    public async Task StoreKeyAsync(string name, string xml, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        // Two nodes making a key at once keep both: each is a key of the one ring.
        await using var insert = connection.Command("INSERT INTO admin_keys (name, xml) VALUES (@name, @xml) ON CONFLICT (name) DO NOTHING", null,
            ("@name", name), ("@xml", xml));
        await insert.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task<string?> HashAsync(DbConnection connection, long id, CancellationToken cancellationToken)
    {
        await using var select = connection.Command("SELECT password_hash FROM admin_users WHERE id = @id", null, ("@id", id));
        return await select.ExecuteScalarAsync(cancellationToken) as string;
    }

    private static async Task<AdminAccount?> FindAsync(DbConnection connection, DbTransaction? transaction, string where, object key,
        CancellationToken cancellationToken)
    {
        await using var select = connection.Command($"SELECT {Columns} FROM admin_users WHERE {where}", transaction, ("@key", key));
        await using var reader = await select.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? Account(reader) : null;
    }

    private static AdminAccount Account(DbDataReader r) => new(
        r.GetInt64(0), r.GetString(1), r.GetString(2), Convert.ToInt64(r.GetValue(3), CultureInfo.InvariantCulture) != 0,
        [.. (byte[])r.GetValue(4)], DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(5)), Count(r, 6), Time(r, 7));

    private static string NewStamp() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(24));
}

using System.Data.Common;
using Blog.Admin.Passkeys;
using static Blog.Storage.SqlValues;

namespace Blog.Storage;

/// <summary>The owners' passkeys, in SQLite or PostgreSQL (<c>admin_passkeys</c>, and <c>admin_users.require_passkey</c>).</summary>
public sealed class SqlPasskeyStore(Database database) : IPasskeyStore
{
    private const string Columns = "credential_id, user_id, public_key, sign_count, name, created_at, last_used_at";

    // Requiring a passkey and removing one each hold the account's guard, so the second sees what the first left:
    // an account never ends up requiring a passkey it no longer has (it could not sign in).
    private const string HasPasskey = "EXISTS (SELECT 1 FROM admin_passkeys WHERE user_id = @user)";

    public async Task<bool> AddAsync(AdminPasskey passkey, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var insert = connection.Command(
            $"INSERT INTO admin_passkeys ({Columns}) VALUES (@id, @user, @key, @count, @name, @created, @used) ON CONFLICT DO NOTHING", null,
            ("@id", passkey.CredentialId.ToArray()), ("@user", passkey.UserId), ("@key", passkey.PublicKey.ToArray()), ("@count", (long)passkey.SignCount),
            ("@name", passkey.Name), ("@created", Time(passkey.CreatedAt)), ("@used", Time(passkey.LastUsedAt)));
        return await insert.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    public async Task<IReadOnlyList<AdminPasskey>> ListAsync(long userId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var select = connection.Command($"SELECT {Columns} FROM admin_passkeys WHERE user_id = @user ORDER BY created_at, credential_id", null,
            ("@user", userId));
        await using var reader = await select.ExecuteReaderAsync(cancellationToken);
        var passkeys = new List<AdminPasskey>();
        while (await reader.ReadAsync(cancellationToken)) passkeys.Add(Read(reader));
        return passkeys;
    }

    public async Task<AdminPasskey?> FindAsync(ImmutableArray<byte> credentialId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var select = connection.Command($"SELECT {Columns} FROM admin_passkeys WHERE credential_id = @id", null, ("@id", credentialId.ToArray()));
        await using var reader = await select.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? Read(reader) : null;
    }

    public async Task<bool> RecordUseAsync(ImmutableArray<byte> credentialId, uint signCount, DateTimeOffset at, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        // One statement: two sign-ins racing with one counter value cannot both pass.
        await using var update = connection.Command(
            "UPDATE admin_passkeys SET sign_count = @count, last_used_at = @at WHERE credential_id = @id AND (sign_count < @count OR (sign_count = 0 AND @count = 0))",
            null, ("@id", credentialId.ToArray()), ("@count", (long)signCount), ("@at", Time(at)));
        return await update.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    public async Task<bool> RemoveAsync(long userId, ImmutableArray<byte> credentialId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await database.BeginGuardedAsync(connection, Guard(userId), cancellationToken);
        await using (var delete = connection.Command("DELETE FROM admin_passkeys WHERE user_id = @user AND credential_id = @id", transaction,
            ("@user", userId), ("@id", credentialId.ToArray())))
        {
            if (await delete.ExecuteNonQueryAsync(cancellationToken) == 0) return false;
        }
        await using (var release = connection.Command($"UPDATE admin_users SET require_passkey = 0 WHERE id = @user AND NOT {HasPasskey}", transaction,
            ("@user", userId)))
            await release.ExecuteNonQueryAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    public async Task<bool> RequireAsync(long userId, bool required, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await database.BeginGuardedAsync(connection, Guard(userId), cancellationToken);
        await using var update = connection.Command(
            required ? $"UPDATE admin_users SET require_passkey = 1 WHERE id = @user AND {HasPasskey}" : "UPDATE admin_users SET require_passkey = 0 WHERE id = @user",
            transaction, ("@user", userId));
        var changed = await update.ExecuteNonQueryAsync(cancellationToken) == 1;
        await transaction.CommitAsync(cancellationToken);
        return changed;
    }

    /// <summary>The lock that orders an account's passkey changes on PostgreSQL (SQLite's writer lock orders them anyway).</summary>
    private static string Guard(long userId) => "admin_passkeys:" + userId.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static AdminPasskey Read(DbDataReader r) => new(
        [.. (byte[])r.GetValue(0)], r.GetInt64(1), [.. (byte[])r.GetValue(2)], (uint)r.GetInt64(3), r.GetString(4),
        DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(5)), Time(r, 6));
}

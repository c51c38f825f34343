using System.Globalization;
using Blog.Admin.Passkeys;
using Blog.Storage;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Blog.Tests.Storage;

/// <summary>
/// What every passkey store must do: keep each credential once, move a counter only forward (a replay or a cloned key
/// loses), and never leave an account requiring a passkey it does not have.
/// </summary>
public abstract class PasskeyStoreContract : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
    private Database? database;
    private IDisposable? cleanup;

    private Database Database => database!;

    private SqlPasskeyStore Store => new(Database);

    protected abstract Task<(Database Database, IDisposable Cleanup)> CreateAsync();

    public async Task InitializeAsync() => (database, cleanup) = await CreateAsync();

    public Task DisposeAsync()
    {
        cleanup?.Dispose();
        return Task.CompletedTask;
    }

    private static AdminPasskey Key(long user, byte id, uint count = 0, string name = "laptop", int minutes = 0) =>
        new([id, 0xAB, id], user, [0xA5, id], count, name, Now.AddMinutes(minutes), null);

    /// <summary>An account, as the access store would make it (a table this store only reads and flags).</summary>
    private async Task<long> AccountAsync(string name)
    {
        await using var connection = await Database.OpenAsync(CancellationToken.None);
        await using var insert = connection.Command(
            "INSERT INTO admin_users (name, user_handle, security_stamp, created_at) VALUES (@name, @handle, 'stamp', 0) RETURNING id", null,
            ("@name", name), ("@handle", System.Text.Encoding.UTF8.GetBytes(name)));
        return Convert.ToInt64(await insert.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
    }

    private async Task<bool> RequiredAsync(long user)
    {
        await using var connection = await Database.OpenAsync(CancellationToken.None);
        await using var select = connection.Command("SELECT require_passkey FROM admin_users WHERE id = @id", null, ("@id", user));
        return Convert.ToInt64(await select.ExecuteScalarAsync(), CultureInfo.InvariantCulture) == 1;
    }

    [Fact]
    public async Task A_passkey_is_kept_once_listed_with_its_account_and_found_by_its_credential_id()
    {
        var ann = await AccountAsync("ann");
        var bob = await AccountAsync("bob");
        Assert.True(await Store.AddAsync(Key(ann, 2, 7, "phone", minutes: 5), CancellationToken.None));
        Assert.True(await Store.AddAsync(Key(ann, 1, name: "laptop"), CancellationToken.None));
        Assert.True(await Store.AddAsync(Key(bob, 3), CancellationToken.None));
        // The same credential again, for anyone, is refused: one key signs one account in.
        Assert.False(await Store.AddAsync(Key(bob, 1), CancellationToken.None));

        var anns = await Store.ListAsync(ann, CancellationToken.None);
        Assert.Equal(["laptop", "phone"], anns.Select(p => p.Name));
        var phone = anns[1];
        Assert.Equal(new byte[] { 2, 0xAB, 2 }, phone.CredentialId.ToArray());
        Assert.Equal(new byte[] { 0xA5, 2 }, phone.PublicKey.ToArray());
        Assert.Equal((ann, 7u, Now.AddMinutes(5), (DateTimeOffset?)null), (phone.UserId, phone.SignCount, phone.CreatedAt, phone.LastUsedAt));

        var found = await Store.FindAsync([3, 0xAB, 3], CancellationToken.None);
        Assert.Equal(bob, found!.UserId);
        Assert.Null(await Store.FindAsync([9, 9], CancellationToken.None));
    }

    [Fact]
    public async Task A_counter_moves_only_forward_and_a_key_that_keeps_none_stays_at_zero()
    {
        var ann = await AccountAsync("ann");
        await Store.AddAsync(Key(ann, 1, count: 5), CancellationToken.None);
        await Store.AddAsync(Key(ann, 2, count: 0), CancellationToken.None);

        Assert.True(await Store.RecordUseAsync([1, 0xAB, 1], 6, Now.AddHours(1), CancellationToken.None));
        // The same count again (a replay, or the copy of a cloned key) and an older one are refused.
        Assert.False(await Store.RecordUseAsync([1, 0xAB, 1], 6, Now.AddHours(2), CancellationToken.None));
        Assert.False(await Store.RecordUseAsync([1, 0xAB, 1], 3, Now.AddHours(2), CancellationToken.None));
        Assert.False(await Store.RecordUseAsync([1, 0xAB, 1], 0, Now.AddHours(2), CancellationToken.None));
        var used = await Store.FindAsync([1, 0xAB, 1], CancellationToken.None);
        Assert.Equal((6u, (DateTimeOffset?)Now.AddHours(1)), (used!.SignCount, used.LastUsedAt));

        Assert.True(await Store.RecordUseAsync([2, 0xAB, 2], 0, Now.AddHours(1), CancellationToken.None));
        Assert.True(await Store.RecordUseAsync([2, 0xAB, 2], 0, Now.AddHours(2), CancellationToken.None));
        Assert.False(await Store.RecordUseAsync([9], 1, Now, CancellationToken.None));
    }

    [Fact]
    public async Task Only_an_account_with_a_passkey_can_require_one_and_removing_the_last_lifts_it()
    {
        var ann = await AccountAsync("ann");
        var bob = await AccountAsync("bob");
        Assert.False(await Store.RequireAsync(ann, true, CancellationToken.None));
        Assert.False(await RequiredAsync(ann));

        await Store.AddAsync(Key(ann, 1), CancellationToken.None);
        await Store.AddAsync(Key(ann, 2), CancellationToken.None);
        Assert.True(await Store.RequireAsync(ann, true, CancellationToken.None));
        Assert.True(await RequiredAsync(ann));

        // Someone else's key is not the account's to remove.
        Assert.False(await Store.RemoveAsync(bob, [1, 0xAB, 1], CancellationToken.None));
        Assert.True(await Store.RemoveAsync(ann, [1, 0xAB, 1], CancellationToken.None));
        Assert.True(await RequiredAsync(ann));
        Assert.True(await Store.RemoveAsync(ann, [2, 0xAB, 2], CancellationToken.None));
        Assert.False(await RequiredAsync(ann));
        Assert.Empty(await Store.ListAsync(ann, CancellationToken.None));
        Assert.False(await Store.RemoveAsync(ann, [2, 0xAB, 2], CancellationToken.None));

        await Store.AddAsync(Key(ann, 3), CancellationToken.None);
        Assert.True(await Store.RequireAsync(ann, true, CancellationToken.None));
        Assert.True(await Store.RequireAsync(ann, false, CancellationToken.None));
        Assert.False(await RequiredAsync(ann));
    }

    [Fact]
    public async Task An_account_removed_takes_its_passkeys_with_it()
    {
        var ann = await AccountAsync("ann");
        await Store.AddAsync(Key(ann, 1), CancellationToken.None);
        await using (var connection = await Database.OpenAsync(CancellationToken.None))
        await using (var delete = connection.Command("DELETE FROM admin_users WHERE id = @id", null, ("@id", ann)))
            await delete.ExecuteNonQueryAsync();
        Assert.Null(await Store.FindAsync([1, 0xAB, 1], CancellationToken.None));
    }
}

public sealed class SqlitePasskeyStoreTests : PasskeyStoreContract
{
    protected override Task<(Database, IDisposable)> CreateAsync()
    {
        var folder = new TempFolder();
        var database = TestSubscriptions.Database(folder.Path);
        return Task.FromResult<(Database, IDisposable)>((database, new Cleanup(database, folder)));
    }

    private sealed class Cleanup(SqliteDatabase database, TempFolder folder) : IDisposable
    {
        public void Dispose()
        {
            database.Dispose();
            folder.Dispose();
        }
    }
}

[Collection(SharedPostgres.Name)]
public sealed class PostgresPasskeyStoreTests(PostgresServer server) : PasskeyStoreContract
{
    protected override async Task<(Database, IDisposable)> CreateAsync()
    {
        var database = new PostgresDatabase(Options.Create(new StorageOptions { Provider = StorageOptions.Postgres, ConnectionString = await server.CreateDatabaseAsync() }),
            NullLogger<PostgresDatabase>.Instance);
        return (database, database);
    }
}

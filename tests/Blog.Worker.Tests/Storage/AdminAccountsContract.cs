using System.Globalization;
using Blog.Admin.Access;
using Blog.Storage;

namespace Blog.Tests.Storage;

/// <summary>
/// What every store of console accounts must do: names folded and unique, passwords hashed and checked, lockout per
/// account and per client (with the client rows bounded), stamps that end sessions, the setup link used once, and the
/// cookie keys kept.
/// </summary>
public abstract class AdminAccountsContract : IAsyncLifetime
{
    protected static readonly DateTimeOffset Now = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
    private const string Password = "a long enough password";
    private static readonly SignInLimits Limits = new(3, TimeSpan.FromMinutes(15));

    private (SqlAdminStore Store, Database Database, IDisposable Cleanup)? underTest;

    private SqlAdminStore Accounts => underTest!.Value.Store;

    protected abstract Task<(SqlAdminStore Store, Database Database, IDisposable Cleanup)> CreateAsync();

    public async Task InitializeAsync() => underTest = await CreateAsync();

    public Task DisposeAsync()
    {
        underTest?.Cleanup.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task A_name_is_case_folded_and_unique_and_names_and_passwords_that_break_the_rules_are_refused()
    {
        var owner = await Accounts.CreateAsync("Owner.Name@home", Password, Now, CancellationToken.None);
        Assert.Equal("owner.name@home", owner.Name);
        Assert.Equal(Now, owner.CreatedAt);
        Assert.Equal(32, owner.UserHandle.Length);
        var taken = await Assert.ThrowsAsync<AdminAccountException>(() => Accounts.CreateAsync("OWNER.NAME@HOME", Password, Now, CancellationToken.None));
        Assert.Contains("already an account named \"owner.name@home\"", taken.Message, StringComparison.Ordinal);
        foreach (var name in new[] { "", new string('a', 65), "two words", "café", "semi;colon" })
            await Assert.ThrowsAsync<AdminAccountException>(() => Accounts.CreateAsync(name, Password, Now, CancellationToken.None));
        Assert.Contains("at least 12", (await Assert.ThrowsAsync<AdminAccountException>(() => Accounts.CreateAsync("short", "elevenchars", Now, CancellationToken.None))).Message,
            StringComparison.Ordinal);
        Assert.Contains("name", (await Assert.ThrowsAsync<AdminAccountException>(() => Accounts.CreateAsync("samesamesame", "SameSameSame", Now, CancellationToken.None))).Message,
            StringComparison.Ordinal);
        Assert.Equal(["owner.name@home"], (await Accounts.ListAsync(CancellationToken.None)).Select(a => a.Name));
        Assert.Equal(owner.Id, (await Accounts.FindAsync("OWNER.name@HOME", CancellationToken.None))!.Id);
    }

    [Fact]
    public async Task The_password_is_stored_hashed_and_only_the_right_one_signs_in()
    {
        await Accounts.CreateAsync("owner", Password, Now, CancellationToken.None);
        var stored = await ScalarAsync("SELECT password_hash FROM admin_users");
        Assert.DoesNotContain(Password, stored, StringComparison.Ordinal);
        Assert.Null((await Accounts.SignInAsync("owner", Password + "!", "c1", Limits, Now, CancellationToken.None)).Account);
        Assert.Null((await Accounts.SignInAsync("nobody", Password, "c2", Limits, Now, CancellationToken.None)).Account);
        Assert.Equal("owner", (await Accounts.SignInAsync("Owner", Password, "c3", Limits, Now, CancellationToken.None)).Account?.Name);
    }

    [Fact]
    public async Task Failures_in_a_row_lock_the_account_from_every_client_until_the_lockout_time_has_passed()
    {
        var owner = await Accounts.CreateAsync("owner", Password, Now, CancellationToken.None);
        Assert.Equal(SignInCheck.Wrong, await Accounts.SignInAsync("owner", "wrong", "c1", Limits, Now, CancellationToken.None));
        Assert.Equal(SignInCheck.Wrong, await Accounts.SignInAsync("owner", "wrong", "c2", Limits, Now, CancellationToken.None));
        Assert.Equal(Now + Limits.LockoutTime, (await Accounts.SignInAsync("owner", "wrong", "c3", Limits, Now, CancellationToken.None)).LockedUntil);
        // Locked: the right password from a fourth client is refused unchecked.
        var locked = await Accounts.SignInAsync("owner", Password, "c4", Limits, Now.AddMinutes(14), CancellationToken.None);
        Assert.Equal((null, Now + Limits.LockoutTime), (locked.Account, locked.LockedUntil));
        Assert.True((await Accounts.FindAsync(owner.Id, CancellationToken.None))!.IsLocked(Now.AddMinutes(14)));
        Assert.NotNull((await Accounts.SignInAsync("owner", Password, "c4", Limits, Now.AddMinutes(15), CancellationToken.None)).Account);
    }

    [Fact]
    public async Task Concurrent_wrong_passwords_get_no_more_guesses_than_the_limit()
    {
        // Each attempt reserves its guess before the slow hash, so a burst cannot all pass the lock check at once.
        var limits = new SignInLimits(5, TimeSpan.FromMinutes(15));
        await Accounts.CreateAsync("owner", Password, Now, CancellationToken.None);
        var checks = await Task.WhenAll(Enumerable.Range(0, 50).Select(i => Task.Run(() =>
            Accounts.SignInAsync("owner", $"wrong {i}", $"client {i}", limits, Now, CancellationToken.None))));
        Assert.All(checks, c => Assert.Null(c.Account));
        Assert.InRange(checks.Count(c => !c.Refused), 1, 5);
        Assert.All(checks.Where(c => c.Refused), c => Assert.Equal(Now + limits.LockoutTime, c.LockedUntil));

        // The same for one client trying many names.
        var clientChecks = await Task.WhenAll(Enumerable.Range(0, 50).Select(i => Task.Run(() =>
            Accounts.SignInAsync($"nobody{i}", "guess", "203.0.113.9", limits, Now, CancellationToken.None))));
        Assert.InRange(clientChecks.Count(c => !c.Refused), 1, 5);
        Assert.All(clientChecks.Where(c => c.Refused), c => Assert.Equal(Now + limits.LockoutTime, c.LockedUntil));
    }

    [Fact]
    public async Task A_right_password_gives_its_reserved_attempt_back()
    {
        await Accounts.CreateAsync("owner", Password, Now, CancellationToken.None);
        for (var i = 0; i < 5; i++)
            Assert.NotNull((await Accounts.SignInAsync("owner", Password, "c1", Limits, Now, CancellationToken.None)).Account);
        Assert.Equal("0", await ScalarAsync("SELECT failed_signins FROM admin_users"));
        Assert.Equal("0", await ScalarAsync("SELECT COUNT(*) FROM admin_client_failures"));
    }

    [Fact]
    public async Task A_success_starts_the_count_again()
    {
        await Accounts.CreateAsync("owner", Password, Now, CancellationToken.None);
        for (var round = 0; round < 3; round++)
        {
            await Accounts.SignInAsync("owner", "wrong", $"a{round}", Limits, Now, CancellationToken.None);
            await Accounts.SignInAsync("owner", "wrong", $"b{round}", Limits, Now, CancellationToken.None);
            Assert.NotNull((await Accounts.SignInAsync("owner", Password, $"c{round}", Limits, Now, CancellationToken.None)).Account);
        }
    }

    [Fact]
    public async Task Failures_from_one_client_lock_that_client_whatever_names_it_tries_and_no_other()
    {
        await Accounts.CreateAsync("owner", Password, Now, CancellationToken.None);
        Assert.Equal(SignInCheck.Wrong, await Accounts.SignInAsync("alice", "guess", "203.0.113.9", Limits, Now, CancellationToken.None));
        Assert.Equal(SignInCheck.Wrong, await Accounts.SignInAsync("bob", "guess", "203.0.113.9", Limits, Now, CancellationToken.None));
        Assert.Equal(Now.AddMinutes(1) + Limits.LockoutTime,
            (await Accounts.SignInAsync("carol", "guess", "203.0.113.9", Limits, Now.AddMinutes(1), CancellationToken.None)).LockedUntil);
        Assert.Null((await Accounts.SignInAsync("owner", Password, "203.0.113.9", Limits, Now.AddMinutes(2), CancellationToken.None)).Account);
        Assert.NotNull((await Accounts.SignInAsync("owner", Password, "198.51.100.1", Limits, Now.AddMinutes(2), CancellationToken.None)).Account);
        Assert.NotNull((await Accounts.SignInAsync("owner", Password, "203.0.113.9", Limits, Now.AddMinutes(16), CancellationToken.None)).Account);
    }

    [Fact]
    public async Task Failures_spread_over_more_than_the_lockout_time_do_not_add_up()
    {
        await Accounts.CreateAsync("owner", Password, Now, CancellationToken.None);
        for (var i = 0; i < 6; i++)
            Assert.Null((await Accounts.SignInAsync($"nobody{i}", "guess", "203.0.113.9", Limits, Now.AddMinutes(i * 16), CancellationToken.None)).LockedUntil);
    }

    [Fact]
    public async Task A_client_failure_is_forgotten_once_its_time_is_past_so_the_table_stays_bounded()
    {
        for (var i = 0; i < 50; i++)
            await Accounts.SignInAsync("nobody", "guess", $"198.51.100.{i.ToString(CultureInfo.InvariantCulture)}", Limits, Now, CancellationToken.None);
        Assert.Equal("50", await ScalarAsync("SELECT COUNT(*) FROM admin_client_failures"));
        await Accounts.SignInAsync("nobody", "guess", "203.0.113.9", Limits, Now + Limits.LockoutTime + TimeSpan.FromSeconds(1), CancellationToken.None);
        Assert.Equal("1", await ScalarAsync("SELECT COUNT(*) FROM admin_client_failures"));
    }

    [Fact]
    public async Task A_new_stamp_a_new_password_and_removal_each_end_what_the_old_stamp_allowed()
    {
        var owner = await Accounts.CreateAsync("owner", Password, Now, CancellationToken.None);
        Assert.Equal(owner.SecurityStamp, await Accounts.StampAsync(owner.Id, CancellationToken.None));
        var rotated = await Accounts.RotateStampAsync(owner.Id, CancellationToken.None);
        Assert.NotEqual(owner.SecurityStamp, rotated);
        Assert.Equal(rotated, await Accounts.StampAsync(owner.Id, CancellationToken.None));

        var changed = await Accounts.SetPasswordAsync(owner.Id, "another long password", CancellationToken.None);
        Assert.NotEqual(rotated, changed);
        Assert.False(await Accounts.VerifyPasswordAsync(owner.Id, Password, CancellationToken.None));
        Assert.True(await Accounts.VerifyPasswordAsync(owner.Id, "another long password", CancellationToken.None));
        await Assert.ThrowsAsync<AdminAccountException>(() => Accounts.SetPasswordAsync(owner.Id, "short", CancellationToken.None));

        Assert.True(await Accounts.RemoveAsync("OWNER", CancellationToken.None));
        Assert.Null(await Accounts.StampAsync(owner.Id, CancellationToken.None));
        Assert.False(await Accounts.RemoveAsync("owner", CancellationToken.None));
        Assert.False(await Accounts.AnyAsync(CancellationToken.None));
    }

    [Fact]
    public async Task A_setup_link_works_once_until_it_expires_and_a_newer_one_replaces_it()
    {
        await Accounts.NewSetupLinkAsync("old", Now.AddHours(1), CancellationToken.None);
        await Accounts.NewSetupLinkAsync("new", Now.AddHours(1), CancellationToken.None);
        Assert.Equal(SetupLinkState.Unknown, await Accounts.SetupLinkAsync("old", Now, CancellationToken.None));
        Assert.Equal(SetupLinkState.Valid, await Accounts.SetupLinkAsync("new", Now, CancellationToken.None));
        Assert.Equal(SetupLinkState.Expired, await Accounts.SetupLinkAsync("new", Now.AddHours(1), CancellationToken.None));
        await Assert.ThrowsAsync<AdminAccountException>(() => Accounts.CreateFirstAsync("new", "owner", Password, Now.AddHours(1), CancellationToken.None));
        Assert.False(await Accounts.AnyAsync(CancellationToken.None));
        // A password the rules refuse leaves the link as it was.
        await Assert.ThrowsAsync<AdminAccountException>(() => Accounts.CreateFirstAsync("new", "owner", "short", Now, CancellationToken.None));
        Assert.Equal(SetupLinkState.Valid, await Accounts.SetupLinkAsync("new", Now, CancellationToken.None));

        var owner = await Accounts.CreateFirstAsync("new", "Owner", Password, Now, CancellationToken.None);
        Assert.Equal("owner", owner.Name);
        Assert.Equal(SetupLinkState.Used, await Accounts.SetupLinkAsync("new", Now, CancellationToken.None));
        var again = await Assert.ThrowsAsync<AdminAccountException>(() => Accounts.CreateFirstAsync("new", "second", Password, Now, CancellationToken.None));
        Assert.Contains("used", again.Message, StringComparison.Ordinal);

        // Once an account exists a fresh link creates nothing either.
        await Accounts.NewSetupLinkAsync("fresh", Now.AddHours(1), CancellationToken.None);
        await Assert.ThrowsAsync<AdminAccountException>(() => Accounts.CreateFirstAsync("fresh", "second", Password, Now, CancellationToken.None));
        Assert.Single(await Accounts.ListAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Cookie_keys_are_kept_once_each()
    {
        await Accounts.StoreKeyAsync("key-1", "<key id=\"1\"/>", CancellationToken.None);
        await Accounts.StoreKeyAsync("key-2", "<key id=\"2\"/>", CancellationToken.None);
        await Accounts.StoreKeyAsync("key-1", "<key id=\"other\"/>", CancellationToken.None);
        Assert.Equal(["<key id=\"1\"/>", "<key id=\"2\"/>"], await Accounts.KeysAsync(CancellationToken.None));
    }

    private async Task<string> ScalarAsync(string sql)
    {
        await using var connection = await underTest!.Value.Database.OpenAsync(CancellationToken.None);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToString(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture)!;
    }
}

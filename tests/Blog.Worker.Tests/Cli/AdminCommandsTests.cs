using System.Diagnostics;
using Blog.Admin.Access;
using Blog.Storage;

namespace Blog.Tests.Cli;

/// <summary><c>blog admin add-user|remove-user|list-users</c> as a script sees them, the password piped on standard input.</summary>
public sealed class AdminCommandsTests : IDisposable
{
    private readonly TempFolder folder = new();

    private string Data => folder.Combine("data");

    /// <summary>The real binary, as a child, so its standard input is a pipe.</summary>
    private static async Task<(int Exit, string Out, string Err)> RunAsync(string? stdin, params string[] args)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "blog.dll"));
        foreach (var arg in args) info.ArgumentList.Add(arg);
        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (stdin is not null) await process.StandardInput.WriteAsync(stdin);
        process.StandardInput.Close();
        await process.WaitForExitAsync();
        return (process.ExitCode, await output, await error);
    }

    [Fact]
    public async Task Add_user_reads_the_password_from_a_pipe_and_the_account_signs_in_with_it()
    {
        var (exit, stdout, stderr) = await RunAsync("a piped long password\nignored second line\n", "admin", "add-user", "Owner", "--data", Data);
        Assert.True(exit == 0, stderr);
        Assert.Equal("added owner: sign in to the console with this name and password\n", stdout);

        using var database = TestSubscriptions.Database(Data);
        var accounts = new SqlAdminStore(database);
        var check = await accounts.SignInAsync("owner", "a piped long password", "test", new SignInLimits(5, TimeSpan.FromMinutes(1)), DateTimeOffset.UtcNow, CancellationToken.None);
        Assert.Equal("owner", check.Account?.Name);
    }

    [Fact]
    public async Task On_a_terminal_add_user_asks_twice_and_never_shows_the_password()
    {
        var first = await OnTerminalAsync("tty1", "a terminal password", "a terminal password");
        Assert.True(first.Exit == 0, first.Screen);
        Assert.Contains("Password: ", first.Screen, StringComparison.Ordinal);
        Assert.Contains("added tty", first.Screen, StringComparison.Ordinal);
        Assert.DoesNotContain("terminal password", first.Screen, StringComparison.Ordinal);

        var differ = await OnTerminalAsync("tty2", "one long password", "another password");
        Assert.Equal(1, differ.Exit);
        Assert.Contains("the two passwords differ", differ.Screen, StringComparison.Ordinal);
    }

    /// <summary>add-user on a pseudo-terminal (util-linux script), typing each answer once its prompt is on the screen.</summary>
    private async Task<(int Exit, string Screen)> OnTerminalAsync(string data, string password, string again)
    {
        var command = $"dotnet '{Path.Combine(AppContext.BaseDirectory, "blog.dll")}' admin add-user tty --data '{folder.Combine(data)}'";
        var info = new ProcessStartInfo("script") { RedirectStandardInput = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var arg in new[] { "-qec", command, "/dev/null" }) info.ArgumentList.Add(arg);
        using var process = Process.Start(info)!;
        var screen = new System.Text.StringBuilder();
        var buffer = new char[256];
        async Task UntilAsync(string text)
        {
            while (!screen.ToString().Contains(text, StringComparison.Ordinal))
            {
                var read = await process.StandardOutput.ReadAsync(buffer).AsTask().WaitAsync(TimeSpan.FromSeconds(60));
                Assert.True(read > 0, $"the terminal closed before \"{text}\": {screen}");
                screen.Append(buffer, 0, read);
            }
        }
        await UntilAsync("Password: ");
        await process.StandardInput.WriteAsync(password + "\r");
        await process.StandardInput.FlushAsync();
        await UntilAsync("Again: ");
        await process.StandardInput.WriteAsync(again + "\r");
        await process.StandardInput.FlushAsync();
        screen.Append(await process.StandardOutput.ReadToEndAsync());
        await process.WaitForExitAsync();
        return (process.ExitCode, screen.ToString());
    }

    [Fact]
    public async Task Add_user_refuses_a_taken_name_a_bad_name_a_short_password_and_no_password_with_status_1()
    {
        Assert.Equal(0, (await RunAsync("a piped long password\n", "admin", "add-user", "owner", "--data", Data)).Exit);

        var taken = await RunAsync("another long password\n", "admin", "add-user", "OWNER", "--data", Data);
        Assert.Equal((1, ""), (taken.Exit, taken.Out));
        Assert.Contains("blog: there is already an account named \"owner\"", taken.Err, StringComparison.Ordinal);

        var badName = await RunAsync("another long password\n", "admin", "add-user", "two words", "--data", Data);
        Assert.Equal(1, badName.Exit);
        Assert.Contains("blog: NAME: name \"two words\": use 1 to 64 characters", badName.Err, StringComparison.Ordinal);

        var shortPassword = await RunAsync("short\n", "admin", "add-user", "second", "--data", Data);
        Assert.Equal(1, shortPassword.Exit);
        Assert.Contains("blog: the password is too short: use at least 12 characters", shortPassword.Err, StringComparison.Ordinal);

        var none = await RunAsync("", "admin", "add-user", "second", "--data", Data);
        Assert.Equal(1, none.Exit);
        Assert.Contains("blog: no password: give it on standard input", none.Err, StringComparison.Ordinal);

        var sameAsName = await RunAsync("SecondSecond\n", "admin", "add-user", "secondsecond", "--data", Data);
        Assert.Equal(1, sameAsName.Exit);
        Assert.Contains("must not be the account's name", sameAsName.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task List_users_shows_each_account_and_remove_user_removes_one_once()
    {
        var (_, empty, _) = await BlogCommand.RunAsync("admin", "list-users", "--data", Data);
        Assert.Contains("no accounts", empty, StringComparison.Ordinal);
        using (var database = TestSubscriptions.Database(Data))
        {
            var accounts = new SqlAdminStore(database);
            await accounts.CreateAsync("owner", "a long enough password", new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero), CancellationToken.None);
            var locked = await accounts.CreateAsync("locked", "a long enough password", new DateTimeOffset(2026, 3, 2, 8, 30, 0, TimeSpan.Zero), CancellationToken.None);
            await accounts.RecordFailureAsync(locked.Id, new SignInLimits(1, TimeSpan.FromHours(1)), DateTimeOffset.UtcNow, CancellationToken.None);
        }

        var (exit, stdout, _) = await BlogCommand.RunAsync("admin", "list-users", "--data", Data);
        Assert.Equal(0, exit);
        var lines = stdout.TrimEnd('\n').Split('\n');
        Assert.Equal(3, lines.Length);
        Assert.StartsWith("NAME    CREATED (UTC)     LOCKED UNTIL (UTC)", lines[0], StringComparison.Ordinal);
        Assert.Matches("^locked  2026-03-02 08:30  [0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}$", lines[1]);
        Assert.Equal("owner   2026-03-01 12:00  -", lines[2]);

        var removed = await BlogCommand.RunAsync("admin", "remove-user", "OWNER", "--data", Data);
        Assert.Equal((0, "removed owner: every session of the account has ended\n"), (removed.Exit, removed.Out));
        var again = await BlogCommand.RunAsync("admin", "remove-user", "owner", "--data", Data);
        Assert.Equal(1, again.Exit);
        Assert.Contains("there is no account named \"owner\"", again.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unlock_clears_the_lock_and_the_failures_so_the_owner_can_sign_in_again()
    {
        long id;
        using (var database = TestSubscriptions.Database(Data))
        {
            var accounts = new SqlAdminStore(database);
            id = (await accounts.CreateAsync("owner", "a long enough password", DateTimeOffset.UtcNow, CancellationToken.None)).Id;
            await accounts.RecordFailureAsync(id, new SignInLimits(1, TimeSpan.FromHours(1)), DateTimeOffset.UtcNow, CancellationToken.None);
        }
        var unlocked = await BlogCommand.RunAsync("admin", "unlock", "OWNER", "--data", Data);
        Assert.Equal((0, "unlocked owner: it can sign in again\n"), (unlocked.Exit, unlocked.Out));
        using (var database = TestSubscriptions.Database(Data))
        {
            var account = await new SqlAdminStore(database).FindAsync(id, CancellationToken.None);
            Assert.False(account!.IsLocked(DateTimeOffset.UtcNow));
            Assert.Equal(0, account.FailedSignIns);
        }
        var nobody = await BlogCommand.RunAsync("admin", "unlock", "nobody", "--data", Data);
        Assert.Equal(1, nobody.Exit);
        Assert.Contains("there is no account named \"nobody\"", nobody.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Require_passkey_turns_off_always_and_on_only_with_a_passkey()
    {
        long id;
        using (var database = TestSubscriptions.Database(Data))
            id = (await new SqlAdminStore(database).CreateAsync("owner", "a long enough password", DateTimeOffset.UtcNow, CancellationToken.None)).Id;
        var early = await BlogCommand.RunAsync("admin", "require-passkey", "owner", "on", "--data", Data);
        Assert.Equal(1, early.Exit);
        Assert.Contains("owner has no passkey", early.Err, StringComparison.Ordinal);

        using (var database = TestSubscriptions.Database(Data))
            await new SqlPasskeyStore(database).AddAsync(new Blog.Admin.Passkeys.AdminPasskey([1, 2, 3], id, [4, 5, 6], 0, "laptop", DateTimeOffset.UtcNow, null),
                CancellationToken.None);
        var on = await BlogCommand.RunAsync("admin", "require-passkey", "owner", "on", "--data", Data);
        Assert.Equal((0, "owner now needs a passkey after the password\n"), (on.Exit, on.Out));
        using (var database = TestSubscriptions.Database(Data))
            Assert.True((await new SqlAdminStore(database).FindAsync(id, CancellationToken.None))!.RequirePasskey);

        // The recovery when the passkey is lost.
        var off = await BlogCommand.RunAsync("admin", "require-passkey", "owner", "off", "--data", Data);
        Assert.Equal((0, "owner now signs in with the password alone\n"), (off.Exit, off.Out));
        using (var database = TestSubscriptions.Database(Data))
            Assert.False((await new SqlAdminStore(database).FindAsync(id, CancellationToken.None))!.RequirePasskey);
        Assert.NotEqual(0, (await BlogCommand.RunAsync("admin", "require-passkey", "owner", "maybe", "--data", Data)).Exit);
    }

    [Fact]
    public async Task Each_verb_has_help_and_the_password_is_never_an_argument()
    {
        foreach (var verb in new[] { "add-user", "remove-user", "list-users" })
        {
            var (exit, stdout, _) = await BlogCommand.RunAsync("admin", verb, "--help");
            Assert.Equal(0, exit);
            Assert.Contains("Details:", stdout, StringComparison.Ordinal);
        }
        Assert.Contains("from a pipe it is the first line of standard input", (await BlogCommand.RunAsync("admin", "add-user", "--help")).Out, StringComparison.Ordinal);
        var (code, _, stderr) = await BlogCommand.RunAsync("admin", "add-user", "owner", "a-password-here", "--data", Data);
        Assert.Equal(2, code);
        Assert.Contains("a-password-here", stderr, StringComparison.Ordinal);
    }

    public void Dispose() => folder.Dispose();
}

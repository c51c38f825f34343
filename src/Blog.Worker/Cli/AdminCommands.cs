using System.CommandLine;
using System.Globalization;
using System.Text;
using Blog.Admin.Access;
using Blog.Admin.Passkeys;

namespace Blog.Cli;

/// <summary><c>blog admin add-user|remove-user|list-users|unlock|require-passkey</c>: the console's owners, managed on the server itself.</summary>
internal static class AdminCommands
{
    public static async Task<int> AddUserAsync(IServiceProvider services, ParseResult args, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        var name = args.GetRequiredValue(CliSymbols.UserName);
        string folded;
        try
        {
            folded = AccountRules.Name(name);
        }
        catch (AdminAccountException e)
        {
            return await SubscriberCommands.FailAsync(stderr, $"NAME: {e.Message}");
        }
        var accounts = services.GetRequiredService<IAdminAccounts>();
        // Asked before the password is typed, not after: nobody types a passphrase twice to learn the name was taken.
        if (await accounts.FindAsync(folded, cancellationToken) is not null)
            return await SubscriberCommands.FailAsync(stderr, $"there is already an account named \"{folded}\"; remove it first with: blog admin remove-user {folded}");
        var password = Console.IsInputRedirected ? await Console.In.ReadLineAsync(cancellationToken) : Prompt(stderr);
        if (password is null) return await SubscriberCommands.FailAsync(stderr, "no password: give it on standard input, one line (never as an argument)");
        try
        {
            var account = await accounts.CreateAsync(folded, password, services.GetRequiredService<TimeProvider>().GetUtcNow(), cancellationToken);
            await stdout.WriteLineAsync($"added {account.Name}: sign in to the console with this name and password");
            return BlogCli.Ok;
        }
        catch (AdminAccountException e)
        {
            return await SubscriberCommands.FailAsync(stderr, e.Message);
        }
    }

    public static async Task<int> RemoveUserAsync(IServiceProvider services, ParseResult args, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        var name = args.GetRequiredValue(CliSymbols.UserName).ToLowerInvariant();
        if (!await services.GetRequiredService<IAdminAccounts>().RemoveAsync(name, cancellationToken))
            return await SubscriberCommands.FailAsync(stderr, $"there is no account named \"{name}\" ('blog admin list-users' lists them)");
        await stdout.WriteLineAsync($"removed {name}: every session of the account has ended");
        return BlogCli.Ok;
    }

    public static async Task<int> ListUsersAsync(IServiceProvider services, ParseResult args, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        var accounts = await services.GetRequiredService<IAdminAccounts>().ListAsync(cancellationToken);
        if (accounts.Count == 0)
        {
            await stdout.WriteLineAsync("no accounts: the service prints a setup link at start, or add one with: blog admin add-user NAME");
            return BlogCli.Ok;
        }
        var now = services.GetRequiredService<TimeProvider>().GetUtcNow();
        var width = Math.Max(4, accounts.Max(a => a.Name.Length));
        await stdout.WriteLineAsync($"{"NAME".PadRight(width)}  CREATED (UTC)     LOCKED UNTIL (UTC)");
        foreach (var account in accounts)
        {
            var locked = account.IsLocked(now) ? Time(account.LockedUntil!.Value) : "-";
            await stdout.WriteLineAsync($"{account.Name.PadRight(width)}  {Time(account.CreatedAt)}  {locked}");
        }
        return BlogCli.Ok;
    }

    public static async Task<int> UnlockAsync(IServiceProvider services, ParseResult args, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        var name = args.GetRequiredValue(CliSymbols.UserName).ToLowerInvariant();
        var accounts = services.GetRequiredService<IAdminAccounts>();
        if (await accounts.FindAsync(name, cancellationToken) is not { } account)
            return await SubscriberCommands.FailAsync(stderr, $"there is no account named \"{name}\" ('blog admin list-users' lists them)");
        // The same as a sign-in that succeeded: no lock, no failures.
        await accounts.RecordSuccessAsync(account.Id, cancellationToken);
        await stdout.WriteLineAsync($"unlocked {account.Name}: it can sign in again");
        return BlogCli.Ok;
    }

    public static async Task<int> RequirePasskeyAsync(IServiceProvider services, ParseResult args, TextWriter stdout, TextWriter stderr,
        CancellationToken cancellationToken)
    {
        var name = args.GetRequiredValue(CliSymbols.UserName).ToLowerInvariant();
        var on = args.GetRequiredValue(CliSymbols.OnOff) == "on";
        if (await services.GetRequiredService<IAdminAccounts>().FindAsync(name, cancellationToken) is not { } account)
            return await SubscriberCommands.FailAsync(stderr, $"there is no account named \"{name}\" ('blog admin list-users' lists them)");
        // The passkey store's rule, the one way to set it: requiring a passkey needs one, or the account could never sign in.
        if (!await services.GetRequiredService<IPasskeyStore>().RequireAsync(account.Id, on, cancellationToken))
            return await SubscriberCommands.FailAsync(stderr, $"{account.Name} has no passkey: add one on the console's account page first");
        await stdout.WriteLineAsync(on ? $"{account.Name} now needs a passkey after the password" : $"{account.Name} now signs in with the password alone");
        return BlogCli.Ok;
    }

    private static string Time(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);

    /// <summary>Asks twice on the terminal, echoing nothing; null when the two differ or input ended.</summary>
    private static string? Prompt(TextWriter stderr)
    {
        stderr.Write("Password: ");
        var first = ReadHidden(stderr);
        if (first is null) return null;
        stderr.Write("Again: ");
        var second = ReadHidden(stderr);
        if (second != first)
        {
            stderr.WriteLine("blog: the two passwords differ");
            return null;
        }
        return first;
    }

    private static string? ReadHidden(TextWriter stderr)
    {
        var text = new StringBuilder();
        while (true)
        {
            var key = Console.ReadKey(intercept: true);
            switch (key.Key)
            {
                case ConsoleKey.Enter:
                    stderr.WriteLine();
                    return text.ToString();
                case ConsoleKey.Backspace:
                    if (text.Length > 0) text.Length--;
                    break;
                default:
                    if (key.KeyChar == '\u0004' && text.Length == 0) return null;
                    if (!char.IsControl(key.KeyChar) && text.Length < AccountRules.MaxPasswordLength + 1) text.Append(key.KeyChar);
                    break;
            }
        }
    }
}

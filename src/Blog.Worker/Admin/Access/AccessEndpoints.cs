using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Blog.Subscriptions;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;

namespace Blog.Admin.Access;

/// <summary>The console's sign-in, sign-out, first-account setup and account pages.</summary>
internal sealed partial class AccessEndpoints(IAdminAccounts accounts, ConsoleSignIn signIn, IOptions<AdminOptions> options, TimeProvider time,
    IEnumerable<IAccountPart> accountParts, IEnumerable<ISignInPart> signInParts, ILogger<AccessEndpoints> logger)
{
    private const string WrongNameOrPassword = "Wrong name or password.";
    private const int MaxTokenLength = 100;

    public async Task SignInPageAsync(HttpContext context)
    {
        if (context.User.Identity?.IsAuthenticated == true)
        {
            context.Response.Redirect(AdminPage.Url(context, "/"));
            return;
        }
        await SignInFormAsync(context, "", context.Request.Query["ReturnUrl"].ToString(), null, StatusCodes.Status200OK);
    }

    public async Task SignInAsync(HttpContext context)
    {
        var form = await ConsoleForm.ReadAsync(context);
        var name = ConsoleForm.Field(form, "name", AccountRules.MaxNameLength);
        var password = ConsoleForm.Field(form, "password", AccountRules.MaxPasswordLength);
        var returnUrl = ConsoleForm.Field(form, "returnUrl", 2000);
        var client = ClientKey(context);
        var now = time.GetUtcNow();
        var check = await accounts.SignInAsync(name, password, client, SignInLimits.Of(options.Value), now, context.RequestAborted);
        if (check.Account is { } account)
        {
            Log.SignedIn(logger, account.Name, client);
            await signIn.PasswordVerifiedAsync(context, account, returnUrl);
            return;
        }
        if (check.LockedUntil is { } until)
        {
            Log.LockedOut(logger, client, until);
            await SignInFormAsync(context, name, returnUrl, Locked(until, now), StatusCodes.Status429TooManyRequests);
            return;
        }
        Log.Failed(logger, client);
        await SignInFormAsync(context, name, returnUrl, WrongNameOrPassword, StatusCodes.Status401Unauthorized);
    }

    /// <summary>
    /// Whom failures are counted against. On the console's own (loopback) listener it is the connection's peer: any
    /// local process could claim any X-Forwarded-For there, to dodge its lock or to lock others. Under Admin:PublicPath
    /// it is the client a trusted proxy forwarded (the forwarded-headers step already put it in RemoteIpAddress).
    /// </summary>
    private static string ClientKey(HttpContext context) =>
        SignUpLimiter.ClientKey(ConsoleListener.IsConsole(context) ? ConsoleListener.Peer(context) : context.Connection.RemoteIpAddress);

    /// <summary>When to try again, in UTC and in minutes from now, so it reads right whatever the owner's time zone.</summary>
    private static string Locked(DateTimeOffset until, DateTimeOffset now)
    {
        var minutes = Math.Max(1, (int)Math.Ceiling((until - now).TotalMinutes));
        return $"Too many failed sign-ins. Try again after {until.UtcDateTime.ToString("HH:mm", CultureInfo.InvariantCulture)} UTC " +
            $"(in {minutes.ToString(CultureInfo.InvariantCulture)} minute{(minutes == 1 ? "" : "s")}).";
    }

    private async Task SignInFormAsync(HttpContext context, string name, string returnUrl, string? error, int status)
    {
        var body = new StringBuilder();
        if (error is not null) body.Append("<p class=\"error\" role=\"alert\">").Append(AdminPage.Encode(error)).Append("</p>");
        else if (!await accounts.AnyAsync(context.RequestAborted))
            body.Append("<p class=\"muted\">There is no account yet. Open the setup link the service printed when it started, or create one on the server with ")
                .Append("<code>blog admin add-user NAME</code>.</p>");
        body.Append(AdminPage.Form(context, "/signin"));
        if (ConsoleSignIn.LocalReturn(context, returnUrl) is { } back)
            body.Append("<input type=\"hidden\" name=\"returnUrl\" value=\"").Append(AdminPage.Encode(back)).Append("\">");
        body.Append("<p><label for=\"name\">Name</label><br><input id=\"name\" name=\"name\" autocomplete=\"username\" required maxlength=\"")
            .Append(AccountRules.MaxNameLength).Append("\" value=\"").Append(AdminPage.Encode(name)).Append("\"></p>")
            .Append("<p><label for=\"password\">Password</label><br><input id=\"password\" name=\"password\" type=\"password\" autocomplete=\"current-password\" required></p>")
            .Append("<p><button type=\"submit\">Sign in</button></p></form>");
        foreach (var part in signInParts) body.Append(await part.RenderAsync(context));
        await AdminPage.WriteAsync(context, "Sign in", AdminSection.None, body.ToString(), status);
    }

    public static async Task SignOutAsync(HttpContext context)
    {
        await context.SignOutAsync(AccessPages.Scheme);
        await context.SignOutAsync(ConsoleSignIn.PendingScheme);
        context.Response.Redirect(AdminPage.Url(context, "/signin"));
    }

    public async Task SetupPageAsync(HttpContext context)
    {
        var token = context.Request.Query["token"].ToString();
        var state = await StateAsync(token, context.RequestAborted);
        if (state != SetupLinkState.Valid)
        {
            await SetupGoneAsync(context, state);
            return;
        }
        await SetupFormAsync(context, token, "", null, StatusCodes.Status200OK);
    }

    public async Task SetupAsync(HttpContext context)
    {
        var form = await ConsoleForm.ReadAsync(context);
        var token = ConsoleForm.Field(form, "token", MaxTokenLength);
        var name = ConsoleForm.Field(form, "name", AccountRules.MaxNameLength + 1);
        var password = ConsoleForm.Field(form, "password", AccountRules.MaxPasswordLength + 1);
        var state = await StateAsync(token, context.RequestAborted);
        if (state != SetupLinkState.Valid)
        {
            await SetupGoneAsync(context, state);
            return;
        }
        if (password != ConsoleForm.Field(form, "confirm", AccountRules.MaxPasswordLength + 1))
        {
            await SetupFormAsync(context, token, name, "The two passwords differ.", StatusCodes.Status400BadRequest);
            return;
        }
        AdminAccount account;
        try
        {
            account = await accounts.CreateFirstAsync(Hash(token), name, password, time.GetUtcNow(), context.RequestAborted);
        }
        catch (AdminAccountException e)
        {
            // The rules, or the link used by another browser meanwhile: the state says which.
            var now = await StateAsync(token, context.RequestAborted);
            if (now != SetupLinkState.Valid) await SetupGoneAsync(context, now);
            else await SetupFormAsync(context, token, name, Sentence(e.Message), StatusCodes.Status400BadRequest);
            return;
        }
        Log.FirstAccount(logger, account.Name);
        await signIn.CompleteAsync(context, account);
    }

    private async Task<SetupLinkState> StateAsync(string token, CancellationToken cancellationToken)
    {
        if (token.Length is 0 or > MaxTokenLength) return SetupLinkState.Unknown;
        var state = await accounts.SetupLinkAsync(Hash(token), time.GetUtcNow(), cancellationToken);
        return state == SetupLinkState.Valid && await accounts.AnyAsync(cancellationToken) ? SetupLinkState.Done : state;
    }

    /// <summary>Only the token's SHA-256 is stored: the database alone does not give the link away.</summary>
    internal static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    private static Task SetupGoneAsync(HttpContext context, SetupLinkState state) =>
        AdminPage.WriteAsync(context, "Setup link not valid", AdminSection.None,
            $"<p>{AdminPage.Encode(SetupText.Why(state))}</p><p>{AdminPage.Encode(SetupText.HowToGetAnother)}</p>" +
            $"<p><a href=\"{AdminPage.Encode(AdminPage.Url(context, "/signin"))}\">Sign in</a></p>",
            StatusCodes.Status410Gone);

    private static Task SetupFormAsync(HttpContext context, string token, string name, string? error, int status)
    {
        var body = new StringBuilder();
        body.Append("<p>Create the console's first account. This link works once.</p>");
        if (error is not null) body.Append("<p class=\"error\" role=\"alert\">").Append(AdminPage.Encode(error)).Append("</p>");
        body.Append(AdminPage.Form(context, "/setup"))
            .Append("<input type=\"hidden\" name=\"token\" value=\"").Append(AdminPage.Encode(token)).Append("\">")
            .Append("<p><label for=\"name\">Name</label><br><input id=\"name\" name=\"name\" autocomplete=\"username\" required maxlength=\"")
            .Append(AccountRules.MaxNameLength).Append("\" value=\"").Append(AdminPage.Encode(name)).Append("\"><br>")
            .Append("<span class=\"muted\">Letters, digits, '.', '-', '_' or '@'.</span></p>");
        NewPasswordFields(body, "password", "New password");
        body.Append("<p><button type=\"submit\">Create the account</button></p></form>");
        return AdminPage.WriteAsync(context, "Set up the console", AdminSection.None, body.ToString(), status);
    }

    private static void NewPasswordFields(StringBuilder body, string name, string label) =>
        body.Append("<p><label for=\"").Append(name).Append("\">").Append(label).Append("</label><br><input id=\"").Append(name).Append("\" name=\"").Append(name)
            .Append("\" type=\"password\" autocomplete=\"new-password\" required minlength=\"").Append(AccountRules.MinPasswordLength).Append("\"><br>")
            .Append("<span class=\"muted\">At least ").Append(AccountRules.MinPasswordLength).Append(" characters.</span></p>")
            .Append("<p><label for=\"confirm\">Again</label><br><input id=\"confirm\" name=\"confirm\" type=\"password\" autocomplete=\"new-password\" required></p>");

    public async Task AccountPageAsync(HttpContext context)
    {
        if (await signIn.CurrentAsync(context) is not { } account)
        {
            await context.ChallengeAsync(AccessPages.Scheme);
            return;
        }
        await AccountFormAsync(context, account, null, null, StatusCodes.Status200OK);
    }

    public async Task ChangePasswordAsync(HttpContext context)
    {
        if (await signIn.CurrentAsync(context) is not { } account)
        {
            await context.ChallengeAsync(AccessPages.Scheme);
            return;
        }
        var form = await ConsoleForm.ReadAsync(context);
        var current = ConsoleForm.Field(form, "current", AccountRules.MaxPasswordLength);
        var password = ConsoleForm.Field(form, "password", AccountRules.MaxPasswordLength + 1);
        // Checked before the password: while the lock holds nothing may verify a guess, a left-open session included.
        var now = time.GetUtcNow();
        if (account.IsLocked(now))
        {
            await AccountFormAsync(context, account, "This account is locked. " + Locked(account.LockedUntil!.Value, now), null,
                StatusCodes.Status429TooManyRequests);
            return;
        }
        if (!await accounts.VerifyPasswordAsync(account.Id, current, context.RequestAborted))
        {
            // A left-open session must not become a way to guess the password: these count toward the lockout too.
            await accounts.RecordFailureAsync(account.Id, SignInLimits.Of(options.Value), now, context.RequestAborted);
            await AccountFormAsync(context, account, "The current password is wrong.", null, StatusCodes.Status400BadRequest);
            return;
        }
        if (password != ConsoleForm.Field(form, "confirm", AccountRules.MaxPasswordLength + 1))
        {
            await AccountFormAsync(context, account, "The two new passwords differ.", null, StatusCodes.Status400BadRequest);
            return;
        }
        try
        {
            await signIn.ChangePasswordAsync(context, account, password);
        }
        catch (AdminAccountException e)
        {
            await AccountFormAsync(context, account, Sentence(e.Message), null, StatusCodes.Status400BadRequest);
            return;
        }
        Log.PasswordChanged(logger, account.Name);
        await AccountFormAsync(context, account, null, "Password changed. Every other session has ended.", StatusCodes.Status200OK);
    }

    public async Task SignOutEverywhereAsync(HttpContext context)
    {
        if (SessionStamps.AccountId(context.User) is { } id)
        {
            await signIn.SignOutEverywhereAsync(context, id);
            Log.SignedOutEverywhere(logger, context.User.Identity?.Name ?? "?");
        }
        context.Response.Redirect(AdminPage.Url(context, "/signin"));
    }

    private async Task AccountFormAsync(HttpContext context, AdminAccount account, string? error, string? done, int status)
    {
        var body = new StringBuilder();
        if (error is not null) body.Append("<p class=\"error\" role=\"alert\">").Append(AdminPage.Encode(error)).Append("</p>");
        if (done is not null) body.Append("<p role=\"status\">").Append(AdminPage.Encode(done)).Append("</p>");
        body.Append("<section><h2>You</h2><p>Signed in as <strong>").Append(AdminPage.Encode(account.Name)).Append("</strong>, an account created ")
            .Append(AdminPage.Encode(account.CreatedAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture))).Append(" UTC.</p>")
            .Append(AdminPage.Form(context, "/account/signout-everywhere"))
            .Append("<p><button type=\"submit\">Sign out everywhere</button> <span class=\"muted\">Ends every session of this account, on every device, this one too.</span></p></form></section>");
        body.Append("<section><h2>Change password</h2>").Append(AdminPage.Form(context, "/account/password"))
            .Append("<input type=\"hidden\" name=\"name\" autocomplete=\"username\" value=\"").Append(AdminPage.Encode(account.Name)).Append("\">")
            .Append("<p><label for=\"current\">Current password</label><br><input id=\"current\" name=\"current\" type=\"password\" autocomplete=\"current-password\" required></p>");
        NewPasswordFields(body, "password", "New password");
        body.Append("<p><button type=\"submit\">Change password</button></p></form></section>");
        // The other parts of the account (passkeys): IAccountPart.
        foreach (var part in accountParts.OrderBy(p => p.Order)) body.Append(await part.RenderAsync(context, account));
        await AdminPage.WriteAsync(context, "Account", AdminSection.Account, body.ToString(), status);
    }

    /// <summary>An exception's message, shown on a page as a sentence.</summary>
    private static string Sentence(string message) => message.Length == 0 ? message : char.ToUpperInvariant(message[0]) + message[1..] + ".";

    private static partial class Log
    {
        [LoggerMessage(LogEvents.AccessEndpoints.SignedIn, LogLevel.Information, "Console: {Name} signed in with a password from {Client}")]
        public static partial void SignedIn(ILogger logger, string name, string client);

        [LoggerMessage(LogEvents.AccessEndpoints.Failed, LogLevel.Information, "Console: a sign-in from {Client} failed")]
        public static partial void Failed(ILogger logger, string client);

        [LoggerMessage(LogEvents.AccessEndpoints.LockedOut, LogLevel.Warning, "Console: a sign-in from {Client} refused: too many failed sign-ins, locked until {Until}")]
        public static partial void LockedOut(ILogger logger, string client, DateTimeOffset until);

        [LoggerMessage(LogEvents.AccessEndpoints.FirstAccount, LogLevel.Information, "Console: the first account, {Name}, was created with the setup link")]
        public static partial void FirstAccount(ILogger logger, string name);

        [LoggerMessage(LogEvents.AccessEndpoints.PasswordChanged, LogLevel.Information, "Console: {Name} changed their password")]
        public static partial void PasswordChanged(ILogger logger, string name);

        [LoggerMessage(LogEvents.AccessEndpoints.SignedOutEverywhere, LogLevel.Information, "Console: {Name} signed out everywhere")]
        public static partial void SignedOutEverywhere(ILogger logger, string name);
    }
}

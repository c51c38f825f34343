using System.Buffers.Text;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Blog.Admin.Access;
using Blog.Subscriptions;
using Microsoft.AspNetCore.Http;

namespace Blog.Admin.Passkeys;

/// <summary>
/// The passkey pages: adding and removing an account's passkeys and requiring one (on the account page), signing in
/// with a passkey alone, and the passkey step after a right password when the account requires one. The browser's
/// part is <c>assets/passkeys.js</c>: it fetches the options as JSON, asks the browser for the passkey, and posts the
/// answer with an ordinary form, so what follows (the redirect, or the error) is an ordinary page.
/// </summary>
internal sealed partial class PasskeyEndpoints(PasskeyCeremony ceremony, IPasskeyStore store, IAdminAccounts accounts, ConsoleSignIn signIn,
    IOptions<AdminOptions> options, TimeProvider time, ILogger<PasskeyEndpoints> logger)
{
    /// <summary>The form field carrying the browser's answer, as JSON.</summary>
    public const string AnswerField = "credential";

    private const string NeedsScript =
        "A passkey is asked for by the browser from a script: allow JavaScript for this console (its own script only) and try again.";

    // ---- Signed in: the account's passkeys ----

    /// <summary>Options to add a passkey to the signed-in account (JSON).</summary>
    public async Task BeginRegistrationAsync(HttpContext context)
    {
        if (await signIn.CurrentAsync(context) is not { } account)
        {
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            return;
        }
        await JsonAsync(context, () => ceremony.BeginRegistrationAsync(context, account.Id, account.Name, account.UserHandle, context.RequestAborted));
    }

    /// <summary>The browser's new passkey: checked, stored, and back to the account page.</summary>
    public async Task FinishRegistrationAsync(HttpContext context)
    {
        if (await signIn.CurrentAsync(context) is not { } account)
        {
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            return;
        }
        var form = await ConsoleForm.ReadAsync(context);
        var answer = ConsoleForm.Field(form, AnswerField, PasskeyCeremony.MaxAnswerLength);
        if (answer.Length == 0)
        {
            await ProblemAsync(context, "Add a passkey", AdminSection.Account, NeedsScript, StatusCodes.Status400BadRequest, "/account");
            return;
        }
        try
        {
            await ceremony.FinishRegistrationAsync(context, account.Id, answer, ConsoleForm.Field(form, "name", 4 * PasskeyCeremony.MaxNameLength), context.RequestAborted);
        }
        catch (PasskeyRefusedException e)
        {
            await ProblemAsync(context, "Add a passkey", AdminSection.Account, e.Message, StatusCodes.Status400BadRequest, "/account");
            return;
        }
        context.Response.Redirect(AdminPage.Url(context, "/account#passkeys"));
    }

    public async Task RemoveAsync(HttpContext context)
    {
        if (await signIn.CurrentAsync(context) is not { } account)
        {
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            return;
        }
        var form = await ConsoleForm.ReadAsync(context);
        if (!TryId(ConsoleForm.Field(form, "id", 2 * IPasskeyStore.MaxCredentialIdBytes), out var id)
            || !await store.RemoveAsync(account.Id, id, context.RequestAborted))
        {
            await ProblemAsync(context, "Remove a passkey", AdminSection.Account, "This account has no such passkey (it may be removed already).",
                StatusCodes.Status404NotFound, "/account");
            return;
        }
        Log.Removed(logger, account.Name);
        context.Response.Redirect(AdminPage.Url(context, "/account#passkeys"));
    }

    public async Task RequireAsync(HttpContext context)
    {
        if (await signIn.CurrentAsync(context) is not { } account)
        {
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            return;
        }
        var form = await ConsoleForm.ReadAsync(context);
        var required = ConsoleForm.Field(form, "require", 1) == "1";
        if (!await store.RequireAsync(account.Id, required, context.RequestAborted))
        {
            await ProblemAsync(context, "Require a passkey", AdminSection.Account, "Add a passkey first: an account can only require one it has.",
                StatusCodes.Status409Conflict, "/account");
            return;
        }
        Log.Required(logger, account.Name, required);
        context.Response.Redirect(AdminPage.Url(context, "/account#passkeys"));
    }

    /// <summary>The passkeys part of the account page.</summary>
    public async Task<string> AccountPartAsync(HttpContext context, AdminAccount account)
    {
        var passkeys = await store.ListAsync(account.Id, context.RequestAborted);
        var html = new StringBuilder("<section id=\"passkeys\" aria-labelledby=\"passkeys-title\"><h2 id=\"passkeys-title\">Passkeys</h2>");
        html.Append("<p class=\"muted\">A passkey signs you in with this device's lock (fingerprint, face, PIN) or a security key, instead of the password or after it.</p>");
        OriginNote(context, html);
        if (passkeys.Count == 0) html.Append("<p>No passkey yet.</p>");
        else
        {
            html.Append("<table><caption>This account's passkeys</caption><thead><tr><th scope=\"col\">Name</th><th scope=\"col\">Added</th>")
                .Append("<th scope=\"col\">Last used</th><th scope=\"col\">Actions</th></tr></thead><tbody>");
            foreach (var passkey in passkeys)
            {
                html.Append("<tr><td>").Append(AdminPage.Encode(passkey.Name)).Append("</td><td>").Append(Date(passkey.CreatedAt)).Append("</td><td>")
                    .Append(passkey.LastUsedAt is { } used ? Date(used) : "never").Append("</td><td>")
                    .Append(AdminPage.Form(context, "/account/passkeys/remove"))
                    .Append("<input type=\"hidden\" name=\"id\" value=\"").Append(AdminPage.Encode(Base64Url.EncodeToString(passkey.CredentialId.AsSpan()))).Append("\">")
                    .Append("<button type=\"submit\" aria-label=\"Remove the passkey ").Append(AdminPage.Encode(passkey.Name)).Append("\">Remove</button></form></td></tr>");
            }
            html.Append("</tbody></table>");
            html.Append(AdminPage.Form(context, "/account/passkeys/require"));
            if (account.RequirePasskey)
                html.Append("<input type=\"hidden\" name=\"require\" value=\"0\"><p><strong>A passkey is required</strong> to sign in: a password alone is not enough. ")
                    .Append("<button type=\"submit\">Stop requiring a passkey</button></p></form>");
            else
                html.Append("<input type=\"hidden\" name=\"require\" value=\"1\"><p>A password alone signs this account in. ")
                    .Append("<button type=\"submit\">Require a passkey</button></p></form>");
        }
        if (passkeys.Count < PasskeyCeremony.MaxPerAccount)
        {
            html.Append(AdminPage.Form(context, "/account/passkeys",
                    $"data-passkey=\"create\" data-options=\"{AdminPage.Encode(AdminPage.Url(context, "/account/passkeys/options"))}\""))
                .Append("<input type=\"hidden\" name=\"").Append(AnswerField).Append("\" value=\"\">")
                .Append("<p><label for=\"passkey-name\">Name of the new passkey</label><br><input id=\"passkey-name\" name=\"name\" maxlength=\"")
                .Append(PasskeyCeremony.MaxNameLength).Append("\" placeholder=\"laptop, phone, security key\"></p>")
                .Append("<p><button type=\"submit\">Add a passkey</button></p><p class=\"error\" role=\"alert\" data-passkey-error hidden></p></form>");
        }
        html.Append(Script(context)).Append("</section>");
        return html.ToString();
    }

    // ---- Signing in ----

    /// <summary>The "Sign in with a passkey" part of the sign-in page.</summary>
    public string SignInPart(HttpContext context)
    {
        var html = new StringBuilder("<section aria-labelledby=\"passkey-title\"><h2 id=\"passkey-title\">Or with a passkey</h2>");
        OriginNote(context, html);
        var form = SignInForm(context, second: false, "Sign in with a passkey");
        // Where the owner was going, as the password form keeps it (checked again when used).
        if (ConsoleSignIn.LocalReturn(context, context.Request.Query["ReturnUrl"].ToString()) is { } back)
            form = form.Replace("</form>", $"<input type=\"hidden\" name=\"returnUrl\" value=\"{AdminPage.Encode(back)}\"></form>", StringComparison.Ordinal);
        html.Append(form).Append(Script(context)).Append("</section>");
        return html.ToString();
    }

    /// <summary>The step after a right password, when the account requires a passkey.</summary>
    public async Task SecondStepPageAsync(HttpContext context)
    {
        if (await signIn.PendingAsync(context) is null)
        {
            context.Response.Redirect(AdminPage.Url(context, "/signin"));
            return;
        }
        await SecondStepFormAsync(context, null, StatusCodes.Status200OK);
    }

    /// <summary>Options to sign in (JSON): for any passkey here, or for the pending account's (<c>?second=1</c>).</summary>
    public async Task BeginSignInAsync(HttpContext context)
    {
        long? userId = null;
        if (context.Request.Query["second"] == "1")
        {
            if (await signIn.PendingAsync(context) is not { } pending)
            {
                await ErrorJsonAsync(context, "The password step expired: sign in again.", StatusCodes.Status401Unauthorized);
                return;
            }
            userId = pending.Id;
        }
        await JsonAsync(context, () => ceremony.BeginSignInAsync(context, userId, context.RequestAborted));
    }

    /// <summary>The browser's answer: a passkey of this console, signed now; signs its account in.</summary>
    public async Task FinishSignInAsync(HttpContext context)
    {
        var form = await ConsoleForm.ReadAsync(context);
        var second = ConsoleForm.Field(form, "second", 1) == "1";
        var answer = ConsoleForm.Field(form, AnswerField, PasskeyCeremony.MaxAnswerLength);
        AdminAccount? pending = null;
        if (second && (pending = await signIn.PendingAsync(context)) is null)
        {
            context.Response.Redirect(AdminPage.Url(context, "/signin"));
            return;
        }
        if (answer.Length == 0)
        {
            await RefuseSignInAsync(context, pending, NeedsScript);
            return;
        }
        // No lock check: a passkey cannot be guessed, so it signs in a locked account (and clears the lock) — else anyone
        // guessing passwords could keep the owner out for good.
        var now = time.GetUtcNow();
        AdminPasskey passkey;
        try
        {
            passkey = await ceremony.FinishSignInAsync(context, pending?.Id, answer, HandleAsync, context.RequestAborted);
        }
        catch (PasskeyRefusedException e)
        {
            if (pending is not null) await accounts.RecordFailureAsync(pending.Id, SignInLimits.Of(options.Value), now, context.RequestAborted);
            await RefuseSignInAsync(context, pending, e.Message);
            return;
        }
        var account = await accounts.FindAsync(passkey.UserId, context.RequestAborted);
        if (account is null)
        {
            await RefuseSignInAsync(context, pending, "This account cannot sign in now (it was removed).");
            return;
        }
        Log.SignedIn(logger, account.Name, passkey.Name, SignUpLimiter.ClientKey(context.Connection.RemoteIpAddress));
        // After a password, where it was going is kept with the pending sign-in; by passkey alone, the form says.
        var returnUrl = second ? null : ConsoleForm.Field(form, "returnUrl", 2000);
        await signIn.CompleteAsync(context, account, string.IsNullOrEmpty(returnUrl) ? null : returnUrl);
    }

    private async Task<ImmutableArray<byte>?> HandleAsync(long userId, CancellationToken cancellationToken) =>
        (await accounts.FindAsync(userId, cancellationToken))?.UserHandle;

    private async Task RefuseSignInAsync(HttpContext context, AdminAccount? pending, string message)
    {
        if (pending is not null)
        {
            await SecondStepFormAsync(context, message, StatusCodes.Status401Unauthorized);
            return;
        }
        await ProblemAsync(context, "Sign in", AdminSection.None, message, StatusCodes.Status401Unauthorized, "/signin");
    }

    private async Task SecondStepFormAsync(HttpContext context, string? error, int status)
    {
        var html = new StringBuilder();
        if (error is not null) html.Append("<p class=\"error\" role=\"alert\">").Append(AdminPage.Encode(error)).Append("</p>");
        html.Append("<p>This account requires a passkey as well as the password.</p>");
        OriginNote(context, html);
        html.Append(SignInForm(context, second: true, "Continue with a passkey")).Append(Script(context))
            .Append("<p><a href=\"").Append(AdminPage.Encode(AdminPage.Url(context, "/signin"))).Append("\">Start again</a></p>");
        await AdminPage.WriteAsync(context, "Confirm with a passkey", AdminSection.None, html.ToString(), status);
    }

    private static string SignInForm(HttpContext context, bool second, string label) =>
        AdminPage.Form(context, "/signin/passkey",
            $"data-passkey=\"get\" data-options=\"{AdminPage.Encode(AdminPage.Url(context, second ? "/signin/passkey/options?second=1" : "/signin/passkey/options"))}\"") +
        $"<input type=\"hidden\" name=\"{AnswerField}\" value=\"\"><input type=\"hidden\" name=\"second\" value=\"{(second ? "1" : "0")}\">" +
        $"<p><button type=\"submit\">{AdminPage.Encode(label)}</button></p><p class=\"error\" role=\"alert\" data-passkey-error hidden></p></form>";

    private static string Script(HttpContext context) =>
        $"<script src=\"{AdminPage.Encode(AdminPage.Url(context, "/assets/passkeys.js"))}\" defer></script>";

    /// <summary>Says, before the owner tries, when this address cannot have passkeys at all (an IP address, a name not configured).</summary>
    private void OriginNote(HttpContext context, StringBuilder html)
    {
        try
        {
            ceremony.Origin(context);
        }
        catch (PasskeyRefusedException e)
        {
            html.Append("<p class=\"muted\">").Append(AdminPage.Encode(e.Message)).Append("</p>");
        }
    }

    private static async Task JsonAsync(HttpContext context, Func<Task<string>> options)
    {
        string json;
        try
        {
            json = await options();
        }
        catch (PasskeyRefusedException e)
        {
            await ErrorJsonAsync(context, e.Message, StatusCodes.Status400BadRequest);
            return;
        }
        context.Response.ContentType = "application/json; charset=utf-8";
        await context.Response.WriteAsync(json, context.RequestAborted);
    }

    private static async Task ErrorJsonAsync(HttpContext context, string message, int status)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json; charset=utf-8";
        await context.Response.WriteAsync($"{{\"error\":\"{JsonEncodedText.Encode(message)}\"}}", context.RequestAborted);
    }

    private static Task ProblemAsync(HttpContext context, string title, AdminSection section, string message, int status, string back) =>
        AdminPage.WriteAsync(context, title, section,
            $"<p class=\"error\" role=\"alert\">{AdminPage.Encode(message)}</p><p><a href=\"{AdminPage.Encode(AdminPage.Url(context, back))}\">Back</a></p>", status);

    private static bool TryId(string text, out ImmutableArray<byte> id)
    {
        id = [];
        if (text.Length == 0) return false;
        try
        {
            id = [.. Base64Url.DecodeFromChars(text)];
            return id.Length is > 0 and <= IPasskeyStore.MaxCredentialIdBytes;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    private static string Date(DateTimeOffset at) =>
        AdminPage.Encode(at.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) + " UTC");

    private static partial class Log
    {
        [LoggerMessage(LogEvents.PasskeyEndpoints.SignedIn, LogLevel.Information, "Console: {Name} signed in with the passkey {Passkey} from {Client}")]
        public static partial void SignedIn(ILogger logger, string name, string passkey, string client);

        [LoggerMessage(LogEvents.PasskeyEndpoints.Removed, LogLevel.Information, "Console: {Name} removed a passkey")]
        public static partial void Removed(ILogger logger, string name);

        [LoggerMessage(LogEvents.PasskeyEndpoints.Required, LogLevel.Information, "Console: {Name} set 'require a passkey' to {Required}")]
        public static partial void Required(ILogger logger, string name, bool required);
    }
}

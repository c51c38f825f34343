using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;

namespace Blog.Admin.Access;

/// <summary>
/// Issues the console's session, the one way: after a right password (<see cref="PasswordVerifiedAsync"/>), which
/// asks for a passkey first when the account requires one, or after a passkey (<see cref="CompleteAsync"/>).
/// The passkey pages read the half-done sign-in with <see cref="PendingAsync"/>.
/// </summary>
internal sealed class ConsoleSignIn(IAdminAccounts accounts, SessionStamps stamps)
{
    /// <summary>A short-lived cookie saying whose password was right, while their passkey is asked for.</summary>
    public const string PendingScheme = "Blog.Console.Pending";

    private const string ReturnItem = "blog:return";

    /// <summary>The password was right: on to the passkey when the account requires one (<c>{prefix}/signin/passkey</c>), else signed in.</summary>
    public async Task PasswordVerifiedAsync(HttpContext context, AdminAccount account, string? returnUrl)
    {
        if (account.RequirePasskey)
        {
            var properties = new AuthenticationProperties();
            if (LocalReturn(context, returnUrl) is { } back) properties.Items[ReturnItem] = back;
            await context.SignInAsync(PendingScheme, SessionStamps.Principal(account, PendingScheme), properties);
            context.Response.Redirect(AdminPage.Url(context, "/signin/passkey"));
            return;
        }
        await CompleteAsync(context, account, returnUrl);
    }

    /// <summary>
    /// Signs <paramref name="account"/> in and redirects to where it was going (<paramref name="returnUrl"/>, or the one
    /// the pending sign-in kept, or the overview). Ends any pending sign-in.
    /// </summary>
    public async Task CompleteAsync(HttpContext context, AdminAccount account, string? returnUrl = null)
    {
        if (returnUrl is null)
        {
            var pending = await context.AuthenticateAsync(PendingScheme);
            if (pending.Succeeded && pending.Properties?.Items.TryGetValue(ReturnItem, out var kept) == true) returnUrl = kept;
        }
        await context.SignOutAsync(PendingScheme);
        await accounts.RecordSuccessAsync(account.Id, context.RequestAborted);
        await context.SignInAsync(AccessPages.Scheme, SessionStamps.Principal(account, AccessPages.Scheme));
        context.Response.Redirect(LocalReturn(context, returnUrl) ?? AdminPage.Url(context, "/"));
    }

    /// <summary>The account whose password was right and whose passkey is now asked for; null when there is none (or it expired, or changed).</summary>
    public async Task<AdminAccount?> PendingAsync(HttpContext context)
    {
        var pending = await context.AuthenticateAsync(PendingScheme);
        if (!pending.Succeeded || SessionStamps.AccountId(pending.Principal) is not { } id) return null;
        return await accounts.FindAsync(id, context.RequestAborted);
    }

    /// <summary>The signed-in account, read afresh.</summary>
    public async Task<AdminAccount?> CurrentAsync(HttpContext context) =>
        SessionStamps.AccountId(context.User) is { } id && context.User.Identity?.IsAuthenticated == true
            ? await accounts.FindAsync(id, context.RequestAborted) : null;

    /// <summary>Ends every session of the account, this one too.</summary>
    public async Task SignOutEverywhereAsync(HttpContext context, long id)
    {
        await accounts.RotateStampAsync(id, context.RequestAborted);
        stamps.Forget(id);
        await context.SignOutAsync(AccessPages.Scheme);
    }

    /// <summary>A new password: every other session ends, and this one carries on under the new stamp.</summary>
    public async Task ChangePasswordAsync(HttpContext context, AdminAccount account, string password)
    {
        var stamp = await accounts.SetPasswordAsync(account.Id, password, context.RequestAborted);
        stamps.Forget(account.Id);
        await context.SignInAsync(AccessPages.Scheme, SessionStamps.Principal(account with { SecurityStamp = stamp }, AccessPages.Scheme));
    }

    /// <summary>Only a path of this console: a sign-in link must not carry the owner off to another site.</summary>
    public static string? LocalReturn(HttpContext context, string? returnUrl)
    {
        if (string.IsNullOrEmpty(returnUrl) || returnUrl.Length > 2000) return null;
        var prefix = AdminPage.Url(context, "/");
        if (!returnUrl.StartsWith(prefix, StringComparison.Ordinal) || returnUrl.StartsWith("//", StringComparison.Ordinal)
            || returnUrl.Contains('\\', StringComparison.Ordinal) || returnUrl.Any(char.IsControl)) return null;
        return returnUrl;
    }
}

using Microsoft.AspNetCore.Http;

namespace Blog.Admin.Access;

/// <summary>
/// A part of the account page after the account's own (the passkeys list, say). Register one with
/// <c>services.AddSingleton&lt;IAccountPart, YourPart&gt;()</c>; parts are shown in ascending <see cref="Order"/>.
/// </summary>
internal interface IAccountPart
{
    int Order { get; }

    /// <summary>The part's HTML: a <c>&lt;section&gt;</c>, every value encoded with <see cref="AdminPage.Encode"/>, forms with <see cref="AdminPage.Form"/>.</summary>
    Task<string> RenderAsync(HttpContext context, AdminAccount account);
}

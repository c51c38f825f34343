using Microsoft.AspNetCore.Http;

namespace Blog.Admin.Access;

/// <summary>
/// A part of the sign-in page after the password form ("Sign in with a passkey", say). Register one with
/// <c>services.AddSingleton&lt;ISignInPart, YourPart&gt;()</c>.
/// </summary>
internal interface ISignInPart
{
    /// <summary>The part's HTML, every value encoded with <see cref="AdminPage.Encode"/>.</summary>
    Task<string> RenderAsync(HttpContext context);
}

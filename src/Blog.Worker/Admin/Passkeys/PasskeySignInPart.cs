using Blog.Admin.Access;
using Microsoft.AspNetCore.Http;

namespace Blog.Admin.Passkeys;

/// <summary>The sign-in page's "Sign in with a passkey".</summary>
internal sealed class PasskeySignInPart : ISignInPart
{
    public Task<string> RenderAsync(HttpContext context) =>
        Task.FromResult(context.RequestServices.GetRequiredService<PasskeyEndpoints>().SignInPart(context));
}

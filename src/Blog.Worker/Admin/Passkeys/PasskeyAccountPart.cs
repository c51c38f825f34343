using Blog.Admin.Access;
using Microsoft.AspNetCore.Http;

namespace Blog.Admin.Passkeys;

/// <summary>The account page's passkeys: the list, remove, require, and add.</summary>
internal sealed class PasskeyAccountPart : IAccountPart
{
    public int Order => 100;

    public Task<string> RenderAsync(HttpContext context, AdminAccount account) =>
        context.RequestServices.GetRequiredService<PasskeyEndpoints>().AccountPartAsync(context, account);
}

using Blog.Admin.Access;
using Blog.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using static Blog.Admin.AdminServiceCollectionExtensions;

namespace Blog.Admin.Passkeys;

/// <summary>The console's passkey sign-in and registration (WebAuthn).</summary>
internal static class PasskeyPages
{
    public static void Add(IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton<IPasskeyStore, SqlPasskeyStore>();
        services.AddSingleton<PasskeyChallenges>();
        services.AddSingleton<RelyingParty>();
        services.AddSingleton<PasskeyCeremony>();
        services.AddSingleton<PasskeyEndpoints>();
        services.AddSingleton<IAccountPart, PasskeyAccountPart>();
        services.AddSingleton<ISignInPart, PasskeySignInPart>();
    }

    public static void Map(RouteGroupBuilder anyone, RouteGroupBuilder owner)
    {
        anyone.MapGet("/assets/passkeys.js", Script);
        anyone.MapGet("/signin/passkey", Page<PasskeyEndpoints>((e, c) => e.SecondStepPageAsync(c)));
        anyone.MapPost("/signin/passkey/options", Page<PasskeyEndpoints>((e, c) => e.BeginSignInAsync(c)));
        anyone.MapPost("/signin/passkey", Page<PasskeyEndpoints>((e, c) => e.FinishSignInAsync(c)));
        owner.MapPost("/account/passkeys/options", Page<PasskeyEndpoints>((e, c) => e.BeginRegistrationAsync(c)));
        owner.MapPost("/account/passkeys", Page<PasskeyEndpoints>((e, c) => e.FinishRegistrationAsync(c)));
        owner.MapPost("/account/passkeys/remove", Page<PasskeyEndpoints>((e, c) => e.RemoveAsync(c)));
        owner.MapPost("/account/passkeys/require", Page<PasskeyEndpoints>((e, c) => e.RequireAsync(c)));
    }

    private static async Task Script(HttpContext context)
    {
        context.Response.ContentType = "text/javascript; charset=utf-8";
        await using var script = typeof(PasskeyPages).Assembly.GetManifestResourceStream("passkeys.js")!;
        await script.CopyToAsync(context.Response.Body, context.RequestAborted);
    }
}

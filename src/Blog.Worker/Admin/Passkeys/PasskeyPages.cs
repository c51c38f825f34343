using Microsoft.AspNetCore.Routing;

namespace Blog.Admin.Passkeys;

/// <summary>The console's passkey sign-in and registration (WebAuthn).</summary>
internal static class PasskeyPages
{
    public static void Add(IServiceCollection services, IConfiguration configuration)
    {
    }

    public static void Map(RouteGroupBuilder anyone, RouteGroupBuilder owner)
    {
    }
}

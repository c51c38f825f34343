using System.Security.Cryptography;
using System.Text;
using Blog.Admin;
using Microsoft.AspNetCore.Http;

namespace Blog.Operations;

/// <summary>
/// Who may read <c>/metrics</c>. On the console's own listener, anyone who reaches it (loopback by default, like the
/// rest of that listener). Under <c>Admin:PublicPath</c>, where the whole internet reaches it, only the signed-in owner
/// or a scraper with <see cref="OperationsOptions.MetricsToken"/> as its bearer token: the numbers tell how many
/// subscribers there are and how mail fares, which is the owner's business.
/// </summary>
internal sealed class MetricsAccess(IOptions<AdminOptions> admin, IOptions<OperationsOptions> options)
{
    public bool Allows(HttpContext context)
    {
        if (admin.Value.OwnListener && ConsoleListener.IsConsole(context)) return true;
        if (context.User.Identity?.IsAuthenticated == true) return true;
        var token = options.Value.MetricsToken;
        if (token.Length == 0) return false;
        var header = context.Request.Headers.Authorization.ToString();
        const string Bearer = "Bearer ";
        if (!header.StartsWith(Bearer, StringComparison.OrdinalIgnoreCase)) return false;
        // Compared in fixed time, so the answer's timing does not spell the token out.
        return CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(header[Bearer.Length..].Trim()), Encoding.UTF8.GetBytes(token));
    }

    public static async Task RefuseAsync(HttpContext context)
    {
        context.Response.StatusCode = StatusCodes.Status401Unauthorized;
        context.Response.Headers.WWWAuthenticate = "Bearer";
        context.Response.Headers.CacheControl = "no-store";
        await context.Response.WriteAsync("Sign in to the console, or send Operations:MetricsToken as a bearer token.", context.RequestAborted);
    }
}

using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Blog.Admin.Access;

/// <summary>The console's sign-in: accounts, sessions, the setup link, lockout, and the console's static assets.</summary>
internal static class AccessPages
{
    public const string Scheme = "Blog.Console";

    public static void Add(IServiceCollection services, IConfiguration configuration)
    {
        var prefix = (configuration[$"{AdminOptions.Section}:{nameof(AdminOptions.PublicPath)}"] ?? "").TrimEnd('/');
        services.AddAuthentication(Scheme).AddCookie(Scheme, o =>
        {
            o.Cookie.Name = "blog-console";
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            o.Cookie.Path = prefix.Length == 0 ? "/" : prefix;
            o.LoginPath = prefix + "/signin";
            o.LogoutPath = prefix + "/signout";
            o.SlidingExpiration = true;
        });
        services.AddAuthorization();
        services.AddAntiforgery(o =>
        {
            o.Cookie.Name = "blog-console-form";
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.Cookie.Path = prefix.Length == 0 ? "/" : prefix;
        });
    }

    public static void Map(RouteGroupBuilder anyone, RouteGroupBuilder owner)
    {
        anyone.MapGet("/assets/console.css", ConsoleCss);
        anyone.MapGet("/signin", context => AdminPage.WriteAsync(context, "Sign in", AdminSection.None, "<p>Not built yet.</p>"));
    }

    private static async Task ConsoleCss(HttpContext context)
    {
        context.Response.ContentType = "text/css; charset=utf-8";
        context.Response.Headers.CacheControl = "no-cache";
        await using var css = typeof(AccessPages).Assembly.GetManifestResourceStream("console.css")!;
        await css.CopyToAsync(context.Response.Body, context.RequestAborted);
    }
}

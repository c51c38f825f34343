using Blog.Storage;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using static Blog.Admin.AdminServiceCollectionExtensions;

namespace Blog.Admin.Access;

/// <summary>The console's sign-in: accounts, sessions, the setup link, lockout, and the console's static assets.</summary>
internal static class AccessPages
{
    public const string Scheme = "Blog.Console";

    /// <summary>Fixed, so every node and every version reads the same protected cookies.</summary>
    public const string ApplicationName = "blog-console";

    public static void Add(IServiceCollection services, IConfiguration configuration)
    {
        var prefix = AdminOptions.PrefixIn(configuration);
        var path = prefix.Length == 0 ? "/" : prefix;
        services.AddSingleton<SqlAdminStore>();
        services.AddSingleton<IAdminAccounts>(provider => provider.GetRequiredService<SqlAdminStore>());
        services.AddSingleton<IConsoleKeys>(provider => provider.GetRequiredService<SqlAdminStore>());
        services.AddSingleton<SessionStamps>();
        services.AddSingleton<ConsoleSessionEvents>();
        services.AddSingleton<ConsoleSignIn>();
        services.AddSingleton<AccessEndpoints>();
        services.AddSingleton<IConfigureOptions<CookieAuthenticationOptions>, ConsoleCookies>();
        services.AddHostedService<SetupLink>();
        services.AddAuthentication(Scheme)
            .AddCookie(Scheme, o =>
            {
                o.Cookie.Name = "blog-console";
                Cookie(o, path);
                o.LoginPath = prefix + "/signin";
                o.LogoutPath = prefix + "/signout";
                o.AccessDeniedPath = prefix + "/signin";
            })
            .AddCookie(ConsoleSignIn.PendingScheme, o =>
            {
                o.Cookie.Name = "blog-console-pending";
                Cookie(o, path);
                o.LoginPath = prefix + "/signin";
            });
        services.AddAuthorization();
        services.AddAntiforgery(o =>
        {
            o.Cookie.Name = "blog-console-form";
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            o.Cookie.Path = path;
        });
        services.AddDataProtection().SetApplicationName(ApplicationName);
        services.AddSingleton<IConfigureOptions<KeyManagementOptions>>(provider =>
            new ConfigureOptions<KeyManagementOptions>(o => o.XmlRepository = new ConsoleKeyRing(provider.GetRequiredService<IConsoleKeys>())));
        // "No XML encryptor configured": the keys are in the database on purpose (ConsoleKeyRing), not a mistake to warn of at every start.
        services.AddLogging(logging => logging.AddFilter("Microsoft.AspNetCore.DataProtection", LogLevel.Error));
    }

    private static void Cookie(CookieAuthenticationOptions o, string path)
    {
        o.Cookie.HttpOnly = true;
        o.Cookie.SameSite = SameSiteMode.Strict;
        // Secure whenever the request came over HTTPS, including through a proxy that says so (UseForwardedHeaders).
        o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        o.Cookie.Path = path;
    }

    public static void Map(RouteGroupBuilder anyone, RouteGroupBuilder owner)
    {
        anyone.MapGet("/assets/console.css", ConsoleCss);
        anyone.MapGet("/signin", Page<AccessEndpoints>((e, c) => e.SignInPageAsync(c)));
        anyone.MapPost("/signin", Page<AccessEndpoints>((e, c) => e.SignInAsync(c)));
        anyone.MapPost("/signout", AccessEndpoints.SignOutAsync);
        anyone.MapGet("/setup", Page<AccessEndpoints>((e, c) => e.SetupPageAsync(c)));
        anyone.MapPost("/setup", Page<AccessEndpoints>((e, c) => e.SetupAsync(c)));
        owner.MapGet("/account", Page<AccessEndpoints>((e, c) => e.AccountPageAsync(c)));
        owner.MapPost("/account/password", Page<AccessEndpoints>((e, c) => e.ChangePasswordAsync(c)));
        owner.MapPost("/account/signout-everywhere", Page<AccessEndpoints>((e, c) => e.SignOutEverywhereAsync(c)));
    }

    private static async Task ConsoleCss(HttpContext context)
    {
        context.Response.ContentType = "text/css; charset=utf-8";
        context.Response.Headers.CacheControl = "no-cache";
        await using var css = typeof(AccessPages).Assembly.GetManifestResourceStream("console.css")!;
        await css.CopyToAsync(context.Response.Body, context.RequestAborted);
    }
}

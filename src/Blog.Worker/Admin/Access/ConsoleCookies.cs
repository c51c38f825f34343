using Microsoft.AspNetCore.Authentication.Cookies;

namespace Blog.Admin.Access;

/// <summary>The session cookie's settings that come from validated options and services: its idle time, clock and checks.</summary>
internal sealed class ConsoleCookies(IOptions<AdminOptions> admin, TimeProvider time, ConsoleSessionEvents events) : IConfigureNamedOptions<CookieAuthenticationOptions>
{
    /// <summary>Between a right password and the passkey that must follow it.</summary>
    public static readonly TimeSpan PendingLifetime = TimeSpan.FromMinutes(5);

    public void Configure(string? name, CookieAuthenticationOptions options)
    {
        if (name == AccessPages.Scheme)
        {
            options.ExpireTimeSpan = admin.Value.SessionIdleTimeout;
            options.SlidingExpiration = true;
        }
        else if (name == ConsoleSignIn.PendingScheme)
        {
            options.ExpireTimeSpan = PendingLifetime;
            options.SlidingExpiration = false;
        }
        else
        {
            return;
        }
        options.TimeProvider = time;
        options.Events = events;
    }

    public void Configure(CookieAuthenticationOptions options) => Configure(Options.DefaultName, options);
}

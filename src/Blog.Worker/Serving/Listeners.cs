using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Blog.Serving;

/// <summary>
/// Binds Kestrel to URLs the way <c>--urls</c> does, but listener by listener, so a listener can be told apart by its
/// connections (the console's own, <see cref="Blog.Admin.ConsoleListener"/>). Kestrel ignores its URL list once any
/// listener is configured in code, so the public URLs are bound here too.
/// </summary>
internal static class Listeners
{
    public static IEnumerable<string> Split(string urls) =>
        urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>Whether <paramref name="url"/> is an http or https URL Kestrel can bind; the options validators word the refusal.</summary>
    public static bool IsBindable(string url)
    {
        try
        {
            var address = BindingAddress.Parse(url);
            return (address.Scheme is "http" or "https") && !address.IsUnixPipe && !address.IsNamedPipe;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    public static void Bind(KestrelServerOptions kestrel, string url, Action<ListenOptions>? configure = null)
    {
        var address = BindingAddress.Parse(url);
        var https = string.Equals(address.Scheme, "https", StringComparison.OrdinalIgnoreCase);
        void Configure(ListenOptions listen)
        {
            if (https) listen.UseHttps();
            configure?.Invoke(listen);
        }
        if (IPAddress.TryParse(address.Host.Trim('[', ']'), out var ip))
        {
            if (ip.Equals(IPAddress.Any) || ip.Equals(IPAddress.IPv6Any)) kestrel.ListenAnyIP(address.Port, Configure);
            else kestrel.Listen(ip, address.Port, Configure);
        }
        // Kestrel refuses a dynamic port on "localhost" (two sockets could not share it): port 0 means IPv4 loopback.
        else if (string.Equals(address.Host, "localhost", StringComparison.OrdinalIgnoreCase) && address.Port == 0)
            kestrel.Listen(IPAddress.Loopback, 0, Configure);
        else if (string.Equals(address.Host, "localhost", StringComparison.OrdinalIgnoreCase))
            kestrel.ListenLocalhost(address.Port, Configure);
        // "*", "+" and any other name: every address, as --urls does.
        else kestrel.ListenAnyIP(address.Port, Configure);
    }
}

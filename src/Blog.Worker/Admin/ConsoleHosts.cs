using System.Net;
using Microsoft.AspNetCore.Http;

namespace Blog.Admin;

/// <summary>
/// The Host names the console's own listener answers: an IP address, <c>localhost</c> on a loopback connection, or a
/// name written in <c>Admin:Urls</c>. A page elsewhere whose DNS name was rebound to this machine sends its own name,
/// so it reaches nothing, not even the sign-in form. The port is not compared: an SSH tunnel's local port is its own.
/// </summary>
internal static class ConsoleHosts
{
    public static bool IsOwn(HttpContext context)
    {
        var name = context.Request.Host.Host.ToLowerInvariant();
        if (name.Length == 0) return false;
        if (IPAddress.TryParse(name.Trim('[', ']'), out _)) return true;
        if (name == "localhost") return context.Connection.LocalIpAddress is { } local && IPAddress.IsLoopback(local);
        var urls = context.RequestServices.GetRequiredService<IOptions<AdminOptions>>().Value.Urls;
        foreach (var url in Blog.Serving.Listeners.Split(urls))
            if (Blog.Serving.Listeners.IsBindable(url) && string.Equals(BindingAddress.Parse(url).Host, name, StringComparison.OrdinalIgnoreCase)) return true;
        return false;
    }
}

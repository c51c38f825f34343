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
        return Names(context.RequestServices.GetRequiredService<IOptions<AdminOptions>>().Value.Urls).Contains(name);
    }

    /// <summary>The host names written in <paramref name="urls"/> (<c>Admin:Urls</c>), lower case: not wildcards, not addresses.</summary>
    public static HashSet<string> Names(string urls)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var url in Blog.Serving.Listeners.Split(urls))
        {
            if (!Blog.Serving.Listeners.IsBindable(url)) continue;
            var host = BindingAddress.Parse(url).Host.ToLowerInvariant();
            if (host is not ("*" or "+") && !IPAddress.TryParse(host.Trim('[', ']'), out _)) names.Add(host);
        }
        return names;
    }
}

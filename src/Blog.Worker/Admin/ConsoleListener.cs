using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Blog.Admin;

/// <summary>
/// The console's own listener (<c>Admin:Urls</c>). Its connections carry a mark that the public listener's never do,
/// so a console route is answered only there, whatever Host header or path a request on the public port names.
/// </summary>
internal sealed class ConsoleListener
{
    /// <summary>
    /// The mark, set on each connection accepted by a console listener; Kestrel shows it to every request on it. It keeps
    /// the connection's true peer, which the forwarded-headers step may replace in RemoteIpAddress.
    /// </summary>
    private sealed record Mark(System.Net.IPAddress? Peer);

    private readonly List<(ListenOptions Listen, bool Https)> bound = [];

    public void Bind(KestrelServerOptions kestrel, string url) => Blog.Serving.Listeners.Bind(kestrel, url, listen =>
    {
        var https = url.StartsWith("https:", StringComparison.OrdinalIgnoreCase);
        listen.Use(next => connection =>
        {
            connection.Features.Set(new Mark((connection.RemoteEndPoint as System.Net.IPEndPoint)?.Address));
            return next(connection);
        });
        lock (bound) bound.Add((listen, https));
    });

    /// <summary>Whether the request came in on a console listener.</summary>
    public static bool IsConsole(HttpContext context) => context.Features.Get<Mark>() is not null;

    /// <summary>On a console listener, the connection's peer address, whatever X-Forwarded-For claimed; else null.</summary>
    public static System.Net.IPAddress? Peer(HttpContext context) => context.Features.Get<Mark>()?.Peer;

    /// <summary>The console's addresses once bound (port 0 replaced by the port the system gave), for the setup link and tests.</summary>
    public IReadOnlyList<Uri> Addresses
    {
        get
        {
            lock (bound)
                return [.. bound.Where(l => l.Listen.IPEndPoint is not null)
                    .Select(l => new Uri($"{(l.Https ? "https" : "http")}://{FormatHost(l.Listen.IPEndPoint!)}/"))];
        }
    }

    private static string FormatHost(System.Net.IPEndPoint endpoint) =>
        endpoint.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{endpoint.Address}]:{endpoint.Port}" : $"{endpoint.Address}:{endpoint.Port}";
}

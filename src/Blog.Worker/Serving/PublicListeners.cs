using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Blog.Serving;

/// <summary>The public listeners (<c>Http:Urls</c>), as bound: their addresses once the system has given any port 0.</summary>
internal sealed class PublicListeners
{
    private readonly List<(ListenOptions Listen, bool Https)> bound = [];

    public void Bind(KestrelServerOptions kestrel, string url) => Listeners.Bind(kestrel, url, listen =>
    {
        lock (bound) bound.Add((listen, url.StartsWith("https:", StringComparison.OrdinalIgnoreCase)));
    });

    /// <summary>In the order of <c>Http:Urls</c>. A listener on every address is named as localhost, which a browser on the machine reaches.</summary>
    public IReadOnlyList<Uri> Addresses
    {
        get
        {
            lock (bound)
                return [.. bound.Where(l => l.Listen.IPEndPoint is not null).Select(l => new Uri($"{(l.Https ? "https" : "http")}://{Host(l.Listen.IPEndPoint!)}/"))];
        }
    }

    private static string Host(IPEndPoint endpoint) =>
        endpoint.Address.Equals(IPAddress.Any) || endpoint.Address.Equals(IPAddress.IPv6Any) ? $"localhost:{endpoint.Port}"
        : endpoint.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{endpoint.Address}]:{endpoint.Port}"
        : $"{endpoint.Address}:{endpoint.Port}";
}

using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.Extensions.DependencyInjection;

namespace Blog.Tests.Support;

/// <summary>
/// Listening on loopback without racing another test for a port: bind port 0 and read back what the system gave.
/// (Probing for a free port and binding later lets a parallel test take it in between.)
/// </summary>
public static class LoopbackPort
{
    /// <summary>A Kestrel URL that lets the system pick the port.</summary>
    public const string AnyUrl = "http://127.0.0.1:0";

    /// <summary>The address a started server listens on, port included.</summary>
    public static Uri BoundUri(WebApplication app)
    {
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses
            ?? throw new InvalidOperationException("the server reports no addresses");
        return new Uri(addresses.Single(a => a.StartsWith("http://127.0.0.1:", StringComparison.Ordinal)).TrimEnd('/') + "/");
    }
}

using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;

namespace Blog.Tests.Support;

/// <summary>
/// Listening on loopback without racing another test for a port: bind port 0 and read back what the system gave.
/// (Probing for a free port and binding it later lets a parallel test take it in between.)
/// </summary>
public static partial class LoopbackPort
{
    /// <summary>The console's address of a started in-process service (<c>Admin:Urls</c>, which the tests set to port 0).</summary>
    public static Uri ConsoleUri(WebApplication app) => app.Services.GetRequiredService<Blog.Admin.ConsoleListener>().Addresses.Single();

    /// <summary>A Kestrel URL (<c>--urls</c>, <c>Http:Urls</c>) that lets the system pick the port.</summary>
    public const string AnyUrl = "http://127.0.0.1:0";

    /// <summary>The address a started in-process server listens on, port included.</summary>
    public static Uri BoundUri(WebApplication app)
    {
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses
            ?? throw new InvalidOperationException("the server reports no addresses");
        var console = (app.Services.GetService<Blog.Admin.ConsoleListener>()?.Addresses ?? []).Select(a => a.ToString().TrimEnd('/')).ToHashSet();
        return new Uri(addresses.Single(a => a.StartsWith("http://127.0.0.1:", StringComparison.Ordinal) && !console.Contains(a.TrimEnd('/'))).TrimEnd('/') + "/");
    }

    /// <summary>
    /// The address a <c>blog run</c> child process started with <see cref="AnyUrl"/> listens on, from its log line
    /// ("Now listening on: http://127.0.0.1:PORT", which Microsoft.Hosting.Lifetime logs at Information), found anywhere
    /// in <paramref name="log"/>; null until it is there.
    /// </summary>
    public static Uri? FromLog(string? log) =>
        log is not null && ListeningLine().Match(log) is { Success: true } m ? new Uri(m.Groups[1].Value + "/") : null;

    /// <summary>
    /// A port already bound, for a server that must know its own address before it starts (its links name it): Kestrel
    /// is handed the socket, which it then owns.
    /// </summary>
    public static int HandToKestrel(IServiceCollection services)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var port = ((IPEndPoint)socket.LocalEndPoint!).Port;
        var handle = (ulong)socket.Handle;
        // Kestrel closes the descriptor when it stops; this object must never close it too (the number may be reused by then).
        socket.SafeHandle.SetHandleAsInvalid();
        services.Configure<KestrelServerOptions>(o => o.ListenHandle(handle));
        return port;
    }

    /// <summary>A loopback port nothing listens on, for as long as the socket is held: connecting to it is refused.</summary>
    public static Socket Closed(out int port)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        port = ((IPEndPoint)socket.LocalEndPoint!).Port;
        return socket;
    }

    /// <summary>
    /// A port free a moment ago, only for a server that cannot be handed port 0 nor a socket (PostgreSQL): its caller
    /// must retry on another when the server finds it taken.
    /// </summary>
    public static int Unused()
    {
        using var socket = Closed(out var port);
        return port;
    }

    [GeneratedRegex(@"Now listening on: (http://127\.0\.0\.1:\d+)")]
    private static partial Regex ListeningLine();
}

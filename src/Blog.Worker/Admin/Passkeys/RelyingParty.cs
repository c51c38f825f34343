using System.Net;
using Blog.Site;
using Microsoft.AspNetCore.Http;

namespace Blog.Admin.Passkeys;

/// <summary>
/// The relying party a console request speaks for. A passkey is bound to a host name, and the browser signs the origin
/// it was at: both must be names the owner configured, never whatever a request's Host header says, or a page
/// elsewhere that reached the console could have ceremonies made for its own name.
/// <list type="bullet">
/// <item>On the console's own listener: the request's scheme and Host, when the Host's port is the one the connection
/// came in on and its name is one named in <c>Admin:Urls</c> (not a wildcard), or <c>localhost</c> when the connection
/// came in on a loopback address (the machine itself, or an SSH tunnel to it). An IP address is never a relying party
/// (WebAuthn refuses one): open the console as <c>http://localhost:PORT</c>.</item>
/// <item>Under <c>Admin:PublicPath</c> on the public listener: <c>Site:Url</c>'s origin and host, whatever the request said.</item>
/// </list>
/// </summary>
internal sealed class RelyingParty(IOptions<AdminOptions> admin, IOptions<SiteOptions> site)
{
    /// <summary>The relying party of <paramref name="context"/>'s request, or null with <paramref name="problem"/> saying why there is none.</summary>
    public PasskeyOrigin? Resolve(HttpContext context, out string problem)
    {
        problem = "";
        if (!ConsoleListener.IsConsole(context)) return FromSite(out problem);
        var request = context.Request;
        var host = request.Host;
        if (!host.HasValue || string.IsNullOrEmpty(host.Host))
        {
            problem = "the request names no host";
            return null;
        }
        var https = request.IsHttps;
        var port = host.Port ?? (https ? 443 : 80);
        var name = host.Host.ToLowerInvariant();
        if (port != context.Connection.LocalPort)
        {
            problem = $"the host \"{host.Value}\" is not the console's address (it listens on port {context.Connection.LocalPort})";
            return null;
        }
        if (IPAddress.TryParse(name.Trim('[', ']'), out _))
        {
            problem = $"passkeys need a host name, not an IP address: open the console as {(https ? "https" : "http")}://localhost:{port}/ (through an SSH tunnel when it is on another machine)";
            return null;
        }
        var loopback = context.Connection.LocalIpAddress is { } local && IPAddress.IsLoopback(local);
        if (!(loopback && name == "localhost") && !ConsoleHosts.Names(admin.Value.Urls).Contains(name))
        {
            problem = $"the host \"{host.Host}\" is not named in {AdminOptions.Section}:{nameof(AdminOptions.Urls)}";
            return null;
        }
        var scheme = https ? "https" : "http";
        var defaultPort = https ? 443 : 80;
        return new PasskeyOrigin(name, port == defaultPort ? $"{scheme}://{name}" : $"{scheme}://{name}:{port}");
    }

    private PasskeyOrigin? FromSite(out string problem)
    {
        problem = "";
        if (!Uri.TryCreate(site.Value.Url, UriKind.Absolute, out var url) || url.HostNameType != UriHostNameType.Dns)
        {
            problem = $"the console is under {AdminOptions.Section}:{nameof(AdminOptions.PublicPath)}, so passkeys are for {SiteOptions.Section}:{nameof(SiteOptions.Url)}'s host name, and \"{site.Value.Url}\" has none";
            return null;
        }
        return new PasskeyOrigin(url.IdnHost.ToLowerInvariant(), url.GetLeftPart(UriPartial.Authority).ToLowerInvariant());
    }
}

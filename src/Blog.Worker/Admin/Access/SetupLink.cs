using System.Buffers.Text;
using System.Security.Cryptography;
using Blog.Site;
using Blog.Storage;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Hosting;

namespace Blog.Admin.Access;

/// <summary>
/// At each start of the service while no account exists: a new one-time link to create the first account (the one
/// before it stops working), logged as a warning. Once the listeners are bound, so the link names the real port.
/// </summary>
internal sealed partial class SetupLink(IAdminAccounts accounts, IOptions<AdminOptions> options, IOptions<SiteOptions> site, ConsoleListener listener,
    IServer server, TimeProvider time, ILogger<SetupLink> logger) : IHostedLifecycleService
{
    public async Task StartedAsync(CancellationToken cancellationToken)
    {
        if (!options.Value.Enabled) return;
        try
        {
            if (await accounts.AnyAsync(cancellationToken)) return;
            var token = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
            var expires = time.GetUtcNow() + options.Value.SetupLinkLifetime;
            await accounts.NewSetupLinkAsync(AccessEndpoints.Hash(token), expires, cancellationToken);
            Log.SetupLink(logger, $"{ConsoleUrl()}setup?token={token}", expires);
        }
        catch (Exception e) when (Database.IsDriverError(e))
        {
            // The service serves its feeds without the database; the link waits for the next start.
            Log.NoSetupLink(logger, e.Message);
        }
    }

    /// <summary>The console's address, ending in '/': its own listener's, or the site's under Admin:PublicPath.</summary>
    private string ConsoleUrl()
    {
        var admin = options.Value;
        if (admin.OwnListener && listener.Addresses.Count > 0) return listener.Addresses[0].ToString();
        var root = site.Value.Url.Length > 0 ? site.Value.Url
            : server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault() ?? "http://localhost";
        return root.TrimEnd('/') + admin.Prefix + "/";
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private static partial class Log
    {
        [LoggerMessage(LogEvents.SetupLink.Created, LogLevel.Warning,
            "The console has no account yet. Create the first one at {Link} (works once, until {Expires}); or run: blog admin add-user NAME")]
        public static partial void SetupLink(ILogger logger, string link, DateTimeOffset expires);

        [LoggerMessage(LogEvents.SetupLink.Failed, LogLevel.Warning, "The console's setup link could not be made: {Error}. Restart the service once the database answers")]
        public static partial void NoSetupLink(ILogger logger, string error);
    }
}

using Blog.Digests;
using Blog.Mail;
using Blog.Serving;
using Blog.Storage;
using Blog.WebSub;
using Microsoft.Extensions.Hosting;

namespace Blog.Hosting;

internal static class HostingServiceCollectionExtensions
{
    /// <summary>The running service (<c>blog run</c>): the served site, WebSub pings, the refresh loop, systemd integration.</summary>
    public static IServiceCollection AddService(this IServiceCollection services, IConfiguration configuration, bool enabled)
    {
        if (!enabled) return services;
        services.AddServing(configuration);
        services.AddWebSub();
        // Started in this order: the database first, so a bad one stops the service before anything else runs.
        services.AddHostedService<StorageStartup>();
        services.AddHostedService<FeedRefreshService>();
        services.AddHostedService<DeliveryPolling<OutboxRounds>>();
        services.AddDigestSchedule(configuration);
        services.AddSystemd();
        // systemd's default stop timeout is generous; a feed service has nothing that needs more than this.
        services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(5));
        return services;
    }
}

using Blog.Serving;
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
        services.AddHostedService<FeedRefreshService>();
        services.AddSystemd();
        // systemd's default stop timeout is generous; a feed service has nothing that needs more than this.
        services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(5));
        return services;
    }
}

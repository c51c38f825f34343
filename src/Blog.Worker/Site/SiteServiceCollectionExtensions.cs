using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Blog.Site;

internal static class SiteServiceCollectionExtensions
{
    public static IServiceCollection AddSite(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSettings<SiteOptions, SiteOptionsValidator>(configuration, SiteOptions.Section);
        services.TryAddSingleton(TimeProvider.System);
        return services;
    }
}

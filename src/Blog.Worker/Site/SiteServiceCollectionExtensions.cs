using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Blog.Site;

internal static class SiteServiceCollectionExtensions
{
    public static IServiceCollection AddSite(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<SiteOptions>()
            .Bind(configuration.GetSection(SiteOptions.Section))
            .Validated<SiteOptions, SiteOptionsValidator>();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<LinkBase>();
        return services;
    }
}

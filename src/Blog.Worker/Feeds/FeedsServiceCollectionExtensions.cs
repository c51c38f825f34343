using Blog.Site;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Blog.Feeds;

internal static class FeedsServiceCollectionExtensions
{
    public static IServiceCollection AddFeeds(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<FeedsOptions>()
            .Bind(configuration.GetSection(FeedsOptions.Section))
            .PostConfigure(o => o.OutputPath = PathResolution.Absolute(o.OutputPath))
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<FeedsOptions>, FeedsOptionsValidator>());
        services.AddSingleton<FeedPublisher>();
        return services;
    }
}

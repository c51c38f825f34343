using Blog.Site;

namespace Blog.Feeds;

internal static class FeedsServiceCollectionExtensions
{
    public static IServiceCollection AddFeeds(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSettings<FeedsOptions, FeedsOptionsValidator>(configuration, FeedsOptions.Section, o => o.OutputPath = PathResolution.Absolute(o.OutputPath));
        services.AddSingleton<FeedPublisher>();
        return services;
    }
}

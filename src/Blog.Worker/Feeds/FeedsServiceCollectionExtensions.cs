using Blog.Site;

namespace Blog.Feeds;

internal static class FeedsServiceCollectionExtensions
{
    public static IServiceCollection AddFeeds(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<FeedsOptions>()
            .Bind(configuration.GetSection(FeedsOptions.Section))
            .Validated<FeedsOptions, FeedsOptionsValidator>(o => o.OutputPath = PathResolution.Absolute(o.OutputPath));
        services.AddSingleton<FeedPublisher>();
        return services;
    }
}

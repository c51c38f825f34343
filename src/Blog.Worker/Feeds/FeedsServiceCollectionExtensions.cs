using Blog.Site;

namespace Blog.Feeds;

internal static class FeedsServiceCollectionExtensions
{
    public static IServiceCollection AddFeeds(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<FeedsOptions>()
            .Bind(configuration.GetSection(FeedsOptions.Section))
            .Validated<FeedsOptions, FeedsOptionsValidator>(o => o.OutputPath = PathResolution.Absolute(o.OutputPath));
        services.AddSingleton<FeedPipeline>();
        // Resolved after the settings are validated, so the path is the absolute one.
        services.AddSingleton(sp => new OutputFolder(sp.GetRequiredService<IOptions<FeedsOptions>>().Value.OutputPath));
        services.AddSingleton<FeedPublisher>();
        return services;
    }
}

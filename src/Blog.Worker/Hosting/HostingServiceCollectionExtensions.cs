namespace Blog.Hosting;

internal static class HostingServiceCollectionExtensions
{
    public static IServiceCollection AddFeedRefresh(this IServiceCollection services) =>
        services.AddHostedService<FeedRefreshService>();
}

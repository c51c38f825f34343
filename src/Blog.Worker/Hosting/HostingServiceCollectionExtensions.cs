namespace Blog.Hosting;

internal static class HostingServiceCollectionExtensions
{
    /// <summary>The background rebuild, for <c>blog run</c> only; the one-shot verbs do their work and exit.</summary>
    public static IServiceCollection AddFeedRefresh(this IServiceCollection services, bool enabled) =>
        enabled ? services.AddHostedService<FeedRefreshService>() : services;
}

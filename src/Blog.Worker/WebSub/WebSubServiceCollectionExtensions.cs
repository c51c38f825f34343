namespace Blog.WebSub;

internal static class WebSubServiceCollectionExtensions
{
    public static IServiceCollection AddWebSub(this IServiceCollection services)
    {
        services.AddSingleton(_ => new HubNotifier.Client(new HttpClient { Timeout = TimeSpan.FromSeconds(30) }));
        services.AddSingleton(sp => new HubNotifier(
            sp.GetRequiredService<IOptions<Blog.Feeds.FeedsOptions>>(),
            sp.GetRequiredService<IOptions<Blog.Site.SiteOptions>>(),
            sp.GetRequiredService<HubNotifier.Client>().Http,
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<HubNotifier>>()));
        services.AddHostedService(sp => sp.GetRequiredService<HubNotifier>());
        return services;
    }
}

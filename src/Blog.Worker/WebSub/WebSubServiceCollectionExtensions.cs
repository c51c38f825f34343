namespace Blog.WebSub;

internal static class WebSubServiceCollectionExtensions
{
    public static IServiceCollection AddWebSub(this IServiceCollection services) =>
        services
            .AddSingleton<HubNotifier>()
            .AddHostedService(sp => sp.GetRequiredService<HubNotifier>());
}

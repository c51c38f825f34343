using Blog.Site;
using Microsoft.AspNetCore.Builder;

namespace Blog.Serving;

internal static class ServingServiceCollectionExtensions
{
    public static IServiceCollection AddServing(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<HttpOptions>()
            .Bind(configuration.GetSection(HttpOptions.Section))
            .Validated<HttpOptions, HttpOptionsValidator>();
        // Bound in code, not with --urls: the console's listener is configured in code too, and Kestrel then ignores its URL list.
        services.AddSingleton<PublicListeners>();
        services.AddOptions<Microsoft.AspNetCore.Server.Kestrel.Core.KestrelServerOptions>().Configure<IOptions<HttpOptions>, PublicListeners>((kestrel, http, listeners) =>
        {
            foreach (var url in Listeners.Split(http.Value.Urls)) listeners.Bind(kestrel, url);
        });
        services.AddSingleton<SiteHolder>();
        services.AddSingleton(new Blog.Templates.RequiredTemplates([IndexPage.TemplateName]));
        services.AddSingleton<IndexPage>();
        services.AddSingleton<LiveSite>();
        services.AddSingleton<SiteEndpoint>();
        return services;
    }

    public static WebApplication UseSite(this WebApplication app)
    {
        var endpoint = app.Services.GetRequiredService<SiteEndpoint>();
        app.Lifetime.ApplicationStarted.Register(() => FirstRun.Started(app.Services));
        app.Run(endpoint.InvokeAsync);
        return app;
    }
}

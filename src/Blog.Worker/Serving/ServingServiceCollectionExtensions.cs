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
        // Bound in code, not with --urls: the console's listener is configured in code too, and Kestrel then ignores its URL
        // list. Read unvalidated: Kestrel's options are built before the settings are checked, and a URL the validator
        // refuses stops the start with its message, not with the binder's exception.
        services.AddSingleton<PublicListeners>();
        services.AddOptions<Microsoft.AspNetCore.Server.Kestrel.Core.KestrelServerOptions>().Configure<PublicListeners>((kestrel, listeners) =>
        {
            foreach (var url in Listeners.Split(configuration[$"{HttpOptions.Section}:{nameof(HttpOptions.Urls)}"] ?? new HttpOptions().Urls))
                if (Listeners.IsBindable(url)) listeners.Bind(kestrel, url);
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

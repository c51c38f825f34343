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
            // Kestrel's options are made as the app is built, before the start validates every section and reports
            // them all: bad Http settings bind nothing here, and the start stops with its message before anything listens.
            HttpOptions settings;
            try
            {
                settings = http.Value;
            }
            catch (OptionsValidationException)
            {
                return;
            }
            foreach (var url in Listeners.Split(settings.Urls)) listeners.Bind(kestrel, url);
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

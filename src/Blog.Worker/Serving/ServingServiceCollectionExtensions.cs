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
        app.Run(endpoint.InvokeAsync);
        return app;
    }
}

using Blog.Site;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Blog.Webhooks;

internal static class WebhooksServiceCollectionExtensions
{
    /// <summary>The providers' webhooks; each is served only when its settings are given.</summary>
    public static IServiceCollection AddWebhooks(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<WebhooksOptions>()
            .Bind(configuration.GetSection(WebhooksOptions.Section))
            .Validated<WebhooksOptions, WebhooksOptionsValidator>();
        services.AddHttpClient(SnsFetcher.ClientName, client => client.Timeout = Timeout.InfiniteTimeSpan) // the pipeline bounds each attempt
            // A redirect from a pinned URL could lead anywhere: the answer is the pinned host's own, or a failure.
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false })
            .RemoveAllLoggers()
            .AddResilienceHandler("sns", (pipeline, context) => SnsFetcher.ConfigurePipeline(pipeline, context.ServiceProvider.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton(new SnsRoots());
        services.AddSingleton<SnsFetcher>();
        services.AddSingleton<IWebhookReader, SesWebhook>();
        services.AddSingleton<IWebhookReader, PostmarkWebhook>();
        services.AddSingleton<IWebhookReader, MailgunWebhook>();
        services.AddSingleton<IWebhookReader, SendGridWebhook>();
        services.AddSingleton<IWebhookReader, EventsWebhook>();
        services.AddSingleton<WebhookEndpoint>();
        services.Configure<RateLimiterOptions>(o => o.AddPolicy(WebhookLimiter.Policy, new WebhookLimiter()));
        return services;
    }

    /// <summary><c>POST /webhooks/{provider}</c>, on the public listener; routed and rate-limited by the pipeline <c>BlogCli</c> sets up.</summary>
    public static WebApplication MapWebhooks(this WebApplication app)
    {
        // Resolved per request, as the subscription pages are: building the app must not touch settings not yet validated.
        app.MapPost("/webhooks/{provider}", context => context.RequestServices.GetRequiredService<WebhookEndpoint>().HandleAsync(context))
            .RequireRateLimiting(WebhookLimiter.Policy);
        return app;
    }
}

using Blog.Feeds;
using Microsoft.Extensions.Logging.Abstractions;
using Polly.Telemetry;

namespace Blog.WebSub;

internal static class WebSubServiceCollectionExtensions
{
    public static IServiceCollection AddWebSub(this IServiceCollection services)
    {
        services.AddHttpClient(HubNotifier.ClientName, client => client.Timeout = Timeout.InfiniteTimeSpan) // the pipeline bounds each attempt
            .RemoveAllLoggers() // the notifier logs each ping's outcome; a line per request would drown it
            .AddResilienceHandler("hub", (pipeline, context) => HubNotifier.ConfigurePipeline(pipeline,
                context.ServiceProvider.GetRequiredService<IOptions<FeedsOptions>>().Value, context.ServiceProvider.GetRequiredService<TimeProvider>(),
                context.ServiceProvider.GetRequiredService<ILogger<HubNotifier>>()));
        // The notifier logs each retry and each give-up, naming the feed; Polly's own lines for every attempt would say
        // each twice more, without it.
        services.PostConfigureAll<TelemetryOptions>(o => o.LoggerFactory = NullLoggerFactory.Instance);
        return services
            .AddSingleton<HubPingTable>()
            .AddSingleton<HubNotifier>()
            .AddHostedService(sp => sp.GetRequiredService<HubNotifier>());
    }
}

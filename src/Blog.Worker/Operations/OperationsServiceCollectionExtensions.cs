using Blog.Admin;
using Blog.Digests;
using Blog.Feeds;
using Blog.Inbox;
using Blog.Mail;
using Blog.Site;
using Blog.Subscriptions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Diagnostics.Metrics;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;

namespace Blog.Operations;

internal static class OperationsServiceCollectionExtensions
{
    /// <summary>The standard variable (or setting) that turns the OTLP export on.</summary>
    public const string OtlpEndpoint = "OTEL_EXPORTER_OTLP_ENDPOINT";

    private static readonly string[] Meters =
        [FeedMetrics.MeterName, DigestMetrics.MeterName, MailMetrics.MeterName, InboxMetrics.MeterName, SubscriptionMetrics.MeterName];

    /// <summary>
    /// Every verb's instruments (a verb such as <c>blog digest send</c> records into them too, unread); for the running
    /// service also the health checks and the OpenTelemetry metrics: Prometheus on the console, OTLP when configured.
    /// </summary>
    public static IServiceCollection AddOperations(this IServiceCollection services, IConfiguration configuration, bool service)
    {
        services.AddOptions<OperationsOptions>()
            .Bind(configuration.GetSection(OperationsOptions.Section))
            .Validated<OperationsOptions, OperationsOptionsValidator>();
        services.AddSingleton<FeedMetrics>();
        services.AddSingleton<DigestMetrics>();
        services.AddSingleton<MailMetrics>();
        services.AddSingleton<InboxMetrics>();
        services.AddSingleton<SubscriptionMetrics>();
        if (!service) return services;

        // Read here, not from validated options: registration decides which checks exist. The timeout is validated at start.
        var timeout = configuration.GetValue($"{OperationsOptions.Section}:{nameof(OperationsOptions.CheckTimeout)}", new OperationsOptions().CheckTimeout);
        services.AddHealthChecks()
            .AddCheck<DatabaseHealthCheck>("database", tags: [HealthEndpoints.Ready], timeout: timeout)
            .AddCheck<CatalogueHealthCheck>("posts", tags: [HealthEndpoints.Ready], timeout: timeout)
            .AddCheck<SchedulerHealthCheck>("scheduler", tags: [HealthEndpoints.Ready], timeout: timeout);
        services.AddSingleton<HealthEndpoints>();
        services.AddSingleton<MetricsAccess>();

        // This container's meters only (MeterScope.Local), through the listener OpenTelemetry registers: a meter of the
        // same name elsewhere in the process (another host, as in the tests) is not mixed into these numbers.
        services.AddMetrics(builder =>
        {
            foreach (var meter in Meters) builder.EnableMetrics(meter, scopes: MeterScope.Local);
        });
        var otlp = !string.IsNullOrWhiteSpace(configuration[OtlpEndpoint]);
        services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService("blog"))
            .WithMetrics(metrics =>
            {
                metrics.AddAspNetCoreInstrumentation().AddRuntimeInstrumentation().AddPrometheusExporter();
                // The exporter reads the standard OTEL_EXPORTER_OTLP_* variables (and OTEL_METRIC_EXPORT_INTERVAL) itself.
                if (otlp) metrics.AddOtlpExporter();
            });
        return services;
    }

    /// <summary>
    /// <c>/healthz</c> and <c>/readyz</c> on every listener; <c>/metrics</c> and the <c>/health</c> page on the console
    /// (its own listener, or under <c>Admin:PublicPath</c>).
    /// </summary>
    public static WebApplication MapOperations(this WebApplication app)
    {
        // Made once started, not by a first user: an observable gauge (the outbox depth) has no other user to make it. Not
        // while the app is built: it needs the store, whose settings are validated only after that.
        app.Lifetime.ApplicationStarted.Register(() => app.Services.GetRequiredService<MailMetrics>());
        var health = app.Services.GetRequiredService<HealthEndpoints>();
        app.MapHealthChecks("/healthz", HealthEndpoints.Live).WithMetadata(AdminEndpoint.Everywhere);
        app.MapHealthChecks("/readyz", health.Readiness).WithMetadata(AdminEndpoint.Everywhere);

        // As MapAdmin reads it: building the app must not touch settings not yet validated.
        var prefix = AdminOptions.PrefixIn(app.Configuration);
        var console = app.MapGroup(prefix).WithMetadata(AdminEndpoint.Console);
        console.MapGroup("").RequireAuthorization().MapGet("/health", AdminServiceCollectionExtensions.Page<HealthEndpoints>((h, context) => h.ConsolePageAsync(context)));
        var access = app.Services.GetRequiredService<MetricsAccess>();
        console.MapPrometheusScrapingEndpoint("/metrics", meterProvider: null, configureBranchedPipeline: branch => branch.Use(async (context, next) =>
        {
            if (access.Allows(context)) await next(context);
            else await MetricsAccess.RefuseAsync(context);
        }), optionsName: null).AllowAnonymous();
        return app;
    }
}

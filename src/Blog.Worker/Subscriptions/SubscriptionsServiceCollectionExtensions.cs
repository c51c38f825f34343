using System.Globalization;
using System.Net;
using System.Threading.RateLimiting;
using Blog.Serving;
using Blog.Site;
using Blog.Posts;
using Blog.Templates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Blog.Subscriptions;

internal static class SubscriptionsServiceCollectionExtensions
{
    public static IServiceCollection AddSubscriptions(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<SubscriptionOptions>()
            .Bind(configuration.GetSection(SubscriptionOptions.Section))
            .Validated<SubscriptionOptions, SubscriptionOptionsValidator>();
        services.AddSingleton(new RequiredTemplates([.. ConfirmationMail.TemplateNames, .. WelcomeMail.TemplateNames, .. PageWriter.TemplateNames]));
        services.AddSingleton<SigningKey>();
        services.AddSingleton<SubscriberTokens>();
        services.AddSingleton<SubscriptionLinks>();
        services.AddSingleton(sp => KnownTags.From(sp.GetRequiredService<PublishedPosts>(), sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<SubscriptionChoices>();
        services.AddSingleton<ConfirmationMail>();
        services.AddSingleton<WelcomeMail>();
        services.AddSingleton<PageWriter>();
        services.AddSingleton<SignUpBacklog>();
        // Only `blog run` starts the host; the other commands never take sign-ups.
        services.AddHostedService<SignUpWorker>();
        services.AddSingleton<SignUpEndpoints>();
        services.AddSingleton<UnsubscribeEndpoints>();
        services.AddSingleton<PreferencesEndpoints>();
        services.AddRateLimiter(limiter =>
        {
            limiter.GlobalLimiter = SignUpLimiter.Create();
            limiter.OnRejected = (rejected, _) =>
            {
                var context = rejected.HttpContext;
                var wait = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? after : TimeSpan.FromMinutes(1);
                context.Response.Headers.RetryAfter = ((long)Math.Max(1, Math.Ceiling(wait.TotalSeconds))).ToString(CultureInfo.InvariantCulture);
                return new ValueTask(context.RequestServices.GetRequiredService<PageWriter>().ErrorAsync(context, StatusCodes.Status429TooManyRequests,
                    "Too many sign-ups", "There were too many sign-ups just now. Please wait a minute and try again."));
            };
        });
        // Read when the pipeline is built, after the settings are validated.
        services.AddOptions<ForwardedHeadersOptions>().Configure<IOptions<HttpOptions>>((forwarded, http) => TrustProxies(forwarded, http.Value));
        return services;
    }

    /// <summary>The sign-up, confirmation, unsubscribe and preferences pages, on the public listener.</summary>
    public static WebApplication MapSubscriptions(this WebApplication app)
    {
        // Handlers are resolved per request, not here: building the app must not touch settings that are not yet validated.
        string[] get = [HttpMethods.Get, HttpMethods.Head];
        app.MapMethods("/subscribe", get, Page<SignUpEndpoints>((e, c) => e.FormAsync(c)));
        app.MapPost("/subscribe", Page<SignUpEndpoints>((e, c) => e.SubmitAsync(c))).WithMetadata(SignUpLimiter.Endpoint);
        app.MapMethods("/confirm", get, Page<SignUpEndpoints>((e, c) => e.ConfirmPageAsync(c)));
        app.MapPost("/confirm", Page<SignUpEndpoints>((e, c) => e.ConfirmAsync(c)));
        app.MapMethods("/unsubscribe", get, Page<UnsubscribeEndpoints>((e, c) => e.PageAsync(c)));
        app.MapPost("/unsubscribe", Page<UnsubscribeEndpoints>((e, c) => e.UnsubscribeAsync(c)));
        app.MapMethods("/preferences", get, Page<PreferencesEndpoints>((e, c) => e.PageAsync(c)));
        app.MapPost("/preferences", Page<PreferencesEndpoints>((e, c) => e.SaveAsync(c)));
        return app;
    }

    /// <summary>
    /// The client is the first address, from the right of X-Forwarded-For, that is not a trusted proxy: each trusted
    /// hop appends the address it was reached from, and whatever the client wrote itself is to the left of that.
    /// </summary>
    private static void TrustProxies(ForwardedHeadersOptions forwarded, HttpOptions http)
    {
        forwarded.ForwardedHeaders = ForwardedHeaders.XForwardedFor;
        forwarded.ForwardLimit = null;
        if (http.KnownProxies.Count + http.KnownNetworks.Count == 0) return;
        // Naming the proxies replaces ASP.NET Core's default of loopback only.
        forwarded.KnownProxies.Clear();
        forwarded.KnownIPNetworks.Clear();
        foreach (var proxy in http.KnownProxies) forwarded.KnownProxies.Add(IPAddress.Parse(proxy.Trim()));
        foreach (var network in http.KnownNetworks) forwarded.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(network.Trim()));
    }

    private static RequestDelegate Page<T>(Func<T, HttpContext, Task> handle) where T : notnull =>
        PageFailure.Guard(context => handle(context.RequestServices.GetRequiredService<T>(), context));
}

using Blog.Site;
using System.Threading.RateLimiting;
using Blog.Posts;
using Blog.Templates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Blog.Subscriptions;

internal static class SubscriptionsServiceCollectionExtensions
{
    private const string SignUpPolicy = "sign-up";

    public static IServiceCollection AddSubscriptions(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSettings<SubscriptionOptions, SubscriptionOptionsValidator>(configuration, SubscriptionOptions.Section);
        services.AddSingleton(new RequiredTemplates([.. ConfirmationMail.TemplateNames, .. PageWriter.TemplateNames]));
        services.AddSingleton<SigningKey>();
        services.AddSingleton<SubscriberTokens>();
        services.AddSingleton<SubscriptionLinks>();
        // Outside the service there is no served site to ask; the running service registers its own after this.
        services.TryAddSingleton(sp => KnownTags.FromPosts(sp.GetRequiredService<PostStore>(), sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<SubscriptionChoices>();
        services.AddSingleton<ConfirmationMail>();
        services.AddSingleton<PageWriter>();
        services.AddSingleton<SignUpEndpoints>();
        services.AddSingleton<UnsubscribeEndpoints>();
        services.AddSingleton<PreferencesEndpoints>();
        services.AddRateLimiter(limiter =>
        {
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.AddPolicy(SignUpPolicy, context =>
            {
                var options = context.RequestServices.GetRequiredService<IOptions<SubscriptionOptions>>().Value;
                return RateLimitPartition.GetFixedWindowLimiter(context.Connection.RemoteIpAddress?.ToString() ?? "",
                    _ => new FixedWindowRateLimiterOptions { PermitLimit = options.SignUpLimit, Window = options.SignUpWindow, QueueLimit = 0 });
            });
            limiter.OnRejected = (rejected, _) => new ValueTask(rejected.HttpContext.RequestServices.GetRequiredService<PageWriter>()
                .ErrorAsync(rejected.HttpContext, StatusCodes.Status429TooManyRequests, "Too many sign-ups",
                    "There were too many sign-ups from your network just now. Please wait a minute and try again."));
        });
        return services;
    }

    /// <summary>The sign-up, confirmation, unsubscribe and preferences pages. Call before the site's catch-all.</summary>
    public static WebApplication UseSubscriptions(this WebApplication app)
    {
        // Behind a reverse proxy on the same host, the client's address comes from X-Forwarded-For (loopback proxies only).
        app.UseForwardedHeaders(new ForwardedHeadersOptions { ForwardedHeaders = ForwardedHeaders.XForwardedFor });
        app.UseRouting();
        app.UseRateLimiter();
        // Handlers are resolved per request, not here: building the app must not touch settings that are not yet validated.
        app.MapGet("/subscribe", context => Get<SignUpEndpoints>(context).FormAsync(context));
        app.MapPost("/subscribe", context => Get<SignUpEndpoints>(context).SubmitAsync(context)).RequireRateLimiting(SignUpPolicy);
        app.MapGet("/confirm", context => Get<SignUpEndpoints>(context).ConfirmAsync(context));
        app.MapGet("/unsubscribe", context => Get<UnsubscribeEndpoints>(context).PageAsync(context));
        app.MapPost("/unsubscribe", context => Get<UnsubscribeEndpoints>(context).UnsubscribeAsync(context));
        app.MapGet("/preferences", context => Get<PreferencesEndpoints>(context).PageAsync(context));
        app.MapPost("/preferences", context => Get<PreferencesEndpoints>(context).SaveAsync(context));
        // Runs the matched page here; anything else falls through to the site (feeds), which the router never slows down.
        app.UseEndpoints(_ => { });
        return app;
    }

    private static T Get<T>(HttpContext context) where T : notnull => context.RequestServices.GetRequiredService<T>();
}

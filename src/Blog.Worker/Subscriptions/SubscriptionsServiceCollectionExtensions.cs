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
        services.AddOptions<SubscriptionOptions>()
            .Bind(configuration.GetSection(SubscriptionOptions.Section))
            .Validated<SubscriptionOptions, SubscriptionOptionsValidator>();
        services.AddSingleton(new RequiredTemplates([.. ConfirmationMail.TemplateNames, .. PageWriter.TemplateNames]));
        services.AddSingleton<SigningKey>();
        services.AddSingleton<SubscriberTokens>();
        services.AddSingleton<SubscriptionLinks>();
        // Outside the service there is no served site to ask; the running service registers its own after this.
        services.TryAddSingleton(sp => KnownTags.FromPosts(sp.GetRequiredService<PostStore>(), sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<SubscriptionChoices>();
        services.AddSingleton<ConfirmationMail>();
        services.AddSingleton<PageWriter>();
        services.AddSingleton<SignUpBacklog>();
        // Only `blog run` starts the host; the other commands never take sign-ups.
        services.AddHostedService<SignUpWorker>();
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
        string[] get = [HttpMethods.Get, HttpMethods.Head];
        app.MapMethods("/subscribe", get, Page<SignUpEndpoints>((e, c) => e.FormAsync(c)));
        app.MapPost("/subscribe", Page<SignUpEndpoints>((e, c) => e.SubmitAsync(c))).RequireRateLimiting(SignUpPolicy);
        app.MapMethods("/confirm", get, Page<SignUpEndpoints>((e, c) => e.ConfirmPageAsync(c)));
        app.MapPost("/confirm", Page<SignUpEndpoints>((e, c) => e.ConfirmAsync(c)));
        app.MapMethods("/unsubscribe", get, Page<UnsubscribeEndpoints>((e, c) => e.PageAsync(c)));
        app.MapPost("/unsubscribe", Page<UnsubscribeEndpoints>((e, c) => e.UnsubscribeAsync(c)));
        app.MapMethods("/preferences", get, Page<PreferencesEndpoints>((e, c) => e.PageAsync(c)));
        app.MapPost("/preferences", Page<PreferencesEndpoints>((e, c) => e.SaveAsync(c)));
        // Runs the matched page here; anything else falls through to the site (feeds), which the router never slows down.
        app.UseEndpoints(_ => { });
        return app;
    }

    private static RequestDelegate Page<T>(Func<T, HttpContext, Task> handle) where T : notnull =>
        PageFailure.Guard(context => handle(context.RequestServices.GetRequiredService<T>(), context));
}

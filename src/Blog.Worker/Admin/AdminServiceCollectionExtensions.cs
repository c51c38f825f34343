using Blog.Admin.Access;
using Blog.Admin.Overview;
using Blog.Admin.Passkeys;
using Blog.Admin.Posts;
using Blog.Admin.Readership;
using Blog.Admin.Runs;
using Blog.Admin.Subscribers;
using Blog.Site;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Matching;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Blog.Admin;

internal static class AdminServiceCollectionExtensions
{
    /// <summary>The most a console form may send: far more than any has fields for.</summary>
    public const int MaxFormBytes = 1 << 20;

    /// <summary>The console: its listener, its sign-in, and its pages (each page set registers its own types).</summary>
    public static IServiceCollection AddAdmin(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<AdminOptions>()
            .Bind(configuration.GetSection(AdminOptions.Section))
            .Validated<AdminOptions, AdminOptionsValidator>();
        services.AddSingleton<ConsoleListener>();
        // Read unvalidated, as the public listeners are (Serving): the validator words a bad URL before anything listens.
        services.AddOptions<KestrelServerOptions>().Configure<ConsoleListener>((kestrel, listener) =>
        {
            var section = configuration.GetSection(AdminOptions.Section);
            var admin = new AdminOptions
            {
                Urls = section[nameof(AdminOptions.Urls)] ?? new AdminOptions().Urls,
                PublicPath = section[nameof(AdminOptions.PublicPath)] ?? "",
            };
            if (!admin.OwnListener) return;
            foreach (var url in Blog.Serving.Listeners.Split(admin.Urls))
                if (Blog.Serving.Listeners.IsBindable(url)) listener.Bind(kestrel, url);
        });
        services.TryAddEnumerable(ServiceDescriptor.Singleton<MatcherPolicy, ConsoleMatcherPolicy>());
        services.AddSingleton<PublicRoutes>();
        AccessPages.Add(services, configuration);
        PasskeyPages.Add(services, configuration);
        OverviewPages.Add(services, configuration);
        SubscriberPages.Add(services, configuration);
        RunPages.Add(services, configuration);
        PostPages.Add(services, configuration);
        ReadershipPages.Add(services, configuration);
        return services;
    }

    /// <summary>
    /// The console's middleware, between routing and the endpoints: its headers, the owner's session, and the
    /// antiforgery check on every POST (before any console handler runs, so none can forget it).
    /// </summary>
    public static WebApplication UseAdmin(this WebApplication app)
    {
        app.Use(async (context, next) =>
        {
            var mark = context.GetEndpoint()?.Metadata.GetMetadata<AdminEndpoint>();
            if (ConsoleListener.IsConsole(context) && !ConsoleHosts.IsOwn(context))
            {
                // A name rebound to this machine (DNS rebinding) would make a stranger's page same-origin with the console.
                context.Response.StatusCode = StatusCodes.Status421MisdirectedRequest;
                return;
            }
            if (mark is null && ConsoleListener.IsConsole(context))
            {
                // The console's listener serves the console only, never the site.
                context.Response.StatusCode = StatusCodes.Status404NotFound;
                return;
            }
            if (mark == AdminEndpoint.Console) ConsoleHeaders.Apply(context.Response);
            // A 405 is worked out from every route on the path, the console's too: on the public listener, a method only a
            // console route refuses is the site's to answer, and the answer must not list the console's methods.
            if (mark is null && context.GetEndpoint() is { } endpoint and not RouteEndpoint && !ConsoleListener.IsConsole(context)
                && context.RequestServices.GetRequiredService<PublicRoutes>().IsMethodRefusalForConsoleOnly(endpoint, context.Request.Path))
                context.SetEndpoint(null);
            await next(context);
        });
        app.UseAuthentication();
        app.UseAuthorization();
        app.Use(async (context, next) =>
        {
            if (HttpMethods.IsPost(context.Request.Method) && context.GetEndpoint()?.Metadata.GetMetadata<AdminEndpoint>() == AdminEndpoint.Console)
            {
                // Before anything reads the body: no console form comes near this, and a hostile one is refused unread.
                if (context.Request.ContentLength > MaxFormBytes)
                {
                    context.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
                    return;
                }
                if (context.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
                    limit.MaxRequestBodySize = MaxFormBytes;
                var antiforgery = context.RequestServices.GetRequiredService<IAntiforgery>();
                bool valid;
                try
                {
                    valid = await antiforgery.IsRequestValidAsync(context);
                }
                catch (Exception e) when (e is Microsoft.AspNetCore.Http.BadHttpRequestException or InvalidDataException or IOException or AntiforgeryValidationException
                    && !context.RequestAborted.IsCancellationRequested)
                {
                    // A body too large, cut short or not a form: refused as a forged one is.
                    valid = false;
                }
                if (!valid)
                {
                    context.Response.StatusCode = StatusCodes.Status400BadRequest;
                    await AdminPage.WriteAsync(context, "Form expired", AdminSection.None,
                        "<p>This form was not sent from this console, or its page is too old. Go back, reload the page and try again.</p>",
                        StatusCodes.Status400BadRequest);
                    return;
                }
            }
            await next(context);
        });
        return app;
    }

    /// <summary>The console's routes: under Admin:PublicPath, or at the root of its own listener.</summary>
    public static WebApplication MapAdmin(this WebApplication app)
    {
        // Read from configuration, not the validated options: building the app must not touch settings not yet validated.
        var prefix = AdminOptions.PrefixIn(app.Configuration);
        var console = app.MapGroup(prefix).WithMetadata(AdminEndpoint.Console);
        var anyone = console.MapGroup("").AllowAnonymous();
        var owner = console.MapGroup("").RequireAuthorization();
        AccessPages.Map(anyone, owner);
        PasskeyPages.Map(anyone, owner);
        OverviewPages.Map(owner);
        SubscriberPages.Map(owner);
        RunPages.Map(owner);
        PostPages.Map(owner);
        ReadershipPages.Map(owner);
        return app;
    }

    /// <summary>A handler resolved per request, as the public pages' are.</summary>
    public static RequestDelegate Page<T>(Func<T, HttpContext, Task> handle) where T : notnull =>
        context => handle(context.RequestServices.GetRequiredService<T>(), context);
}

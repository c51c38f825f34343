using Blog.Digests;
using Blog.MailingList;
using Blog.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Blog.Admin.Overview;

/// <summary>The console's overview with its charts, and the snapshots of the list's size the charts read.</summary>
internal static class OverviewPages
{
    public static void Add(IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton<ISubscriberHistory>(sp => new SqlSubscriberHistory(sp.GetRequiredService<Database>(), sp.GetService<TimeProvider>()));
        services.AddSingleton<ISchedulerNodes, SqlSchedulerNodes>();
        services.AddSingleton<BriefCounts>();
        services.AddSingleton<OverviewPage>();
        // Runs only where the host runs, that is in `blog run`: the CLI's verbs build their host but never start it.
        services.AddHostedService<SubscriberSnapshots>();
    }

    public static void Map(RouteGroupBuilder owner)
    {
        owner.MapGet("/", AdminServiceCollectionExtensions.Page<OverviewPage>((page, context) => page.ShowAsync(context)));
        owner.MapGet("/assets/charts.css", ChartsCss);
    }

    private static async Task ChartsCss(HttpContext context)
    {
        context.Response.ContentType = "text/css; charset=utf-8";
        context.Response.Headers.CacheControl = "no-cache";
        await using var css = typeof(OverviewPages).Assembly.GetManifestResourceStream("charts.css")!;
        await css.CopyToAsync(context.Response.Body, context.RequestAborted);
    }
}

using Blog.Digests;
using Blog.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Blog.Admin.Runs;

/// <summary>The console's digest runs, retries, send now and the preview.</summary>
internal static class RunPages
{
    public static void Add(IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddSingleton<IRunHistory, SqlRunHistory>();
        services.AddSingleton<RunsPage>();
        services.AddSingleton<PreviewPage>();
    }

    public static void Map(RouteGroupBuilder owner)
    {
        owner.MapGet("/runs", AdminServiceCollectionExtensions.Page<RunsPage>((p, c) => p.ListAsync(c)));
        owner.MapPost("/runs/retry", AdminServiceCollectionExtensions.Page<RunsPage>((p, c) => p.RetryAsync(c)));
        owner.MapPost("/runs/send", AdminServiceCollectionExtensions.Page<RunsPage>((p, c) => p.SendNowAsync(c)));
        // A run's key holds a slash (weekly/2026-03-02T08:00:00Z): the rest of the path is the key.
        owner.MapGet("/runs/{**key}", AdminServiceCollectionExtensions.Page<RunsPage>((p, c) => p.DetailAsync(c)));
        owner.MapGet("/preview", AdminServiceCollectionExtensions.Page<PreviewPage>((p, c) => p.ShowAsync(c)));
        owner.MapGet("/preview/html", AdminServiceCollectionExtensions.Page<PreviewPage>((p, c) => p.HtmlAsync(c)));
    }

    /// <summary>A run's console path, each segment of its key escaped.</summary>
    public static string RunPath(string key) => "/runs/" + string.Join('/', key.Split('/').Select(Uri.EscapeDataString));

    /// <summary>A time as the console shows it.</summary>
    public static string When(DateTimeOffset? time) =>
        time is { } t ? t.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", System.Globalization.CultureInfo.InvariantCulture) : "";
}

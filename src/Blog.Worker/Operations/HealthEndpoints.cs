using System.Globalization;
using System.Text;
using Blog.Admin;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Blog.Operations;

/// <summary>
/// <c>/healthz</c> (liveness: the process answers) and <c>/readyz</c> (the database, the post catalogue and the digest
/// scheduler), on every listener, in one word each: these answer strangers, so a check's description, which can name
/// a folder or a server, is shown only on the console's <c>/health</c> page.
/// </summary>
internal sealed partial class HealthEndpoints(HealthCheckService checks, ILogger<HealthEndpoints> logger)
{
    /// <summary>The tag of the checks <c>/readyz</c> runs.</summary>
    public const string Ready = "ready";

    private int lastReady = -1;

    /// <summary>Liveness runs no check: a dependency that is down must not get a working process restarted.</summary>
    public static readonly HealthCheckOptions Live = new()
    {
        Predicate = _ => false,
        ResponseWriter = WritePublicAsync,
    };

    public HealthCheckOptions Readiness => new()
    {
        Predicate = check => check.Tags.Contains(Ready),
        ResponseWriter = (context, report) =>
        {
            Watch(report);
            return WritePublicAsync(context, report);
        },
    };

    /// <summary>
    /// Degraded (the output folder cannot be written) still serves: 200 and "Healthy", as the framework's status codes
    /// have it; the owner sees which on the console.
    /// </summary>
    private static Task WritePublicAsync(HttpContext context, HealthReport report)
    {
        var response = context.Response;
        response.ContentType = "text/plain; charset=utf-8";
        response.Headers.CacheControl = "no-store";
        response.Headers.XContentTypeOptions = "nosniff";
        return response.WriteAsync(report.Status == HealthStatus.Unhealthy ? "Unhealthy" : "Healthy", context.RequestAborted);
    }

    /// <summary>Says once when the service stops being ready, with why, rather than on every probe.</summary>
    private void Watch(HealthReport report)
    {
        var ready = report.Status == HealthStatus.Unhealthy ? 0 : 1;
        if (Interlocked.Exchange(ref lastReady, ready) == 1 && ready == 0)
            Log.Unready(logger, string.Join("; ", report.Entries.Where(e => e.Value.Status == HealthStatus.Unhealthy).Select(e => $"{e.Key}: {e.Value.Description}")));
    }

    /// <summary>The console's view: every check, its status, how long it took and what it says.</summary>
    public async Task ConsolePageAsync(HttpContext context)
    {
        var report = await checks.CheckHealthAsync(context.RequestAborted);
        var body = new StringBuilder();
        body.Append("<p>Ready: <strong>").Append(AdminPage.Encode(report.Status.ToString())).Append("</strong> (checked in ")
            .Append(AdminPage.Encode(Milliseconds(report.TotalDuration))).Append(").</p>")
            .Append("<table><thead><tr><th scope=\"col\">Check</th><th scope=\"col\">Status</th><th scope=\"col\">Duration</th><th scope=\"col\">Description</th></tr></thead><tbody>");
        foreach (var (name, entry) in report.Entries)
        {
            body.Append("<tr><th scope=\"row\">").Append(AdminPage.Encode(name)).Append("</th><td>")
                .Append(AdminPage.Encode(entry.Status.ToString())).Append("</td><td>")
                .Append(AdminPage.Encode(Milliseconds(entry.Duration))).Append("</td><td>")
                .Append(AdminPage.Encode(entry.Description ?? entry.Exception?.Message ?? "")).Append("</td></tr>");
        }
        body.Append("</tbody></table><p>The public <code>/readyz</code> answers only ")
            .Append("“Healthy” (200) or “Unhealthy” (503); <code>/healthz</code> answers whenever the process does.</p>");
        context.Response.Headers.CacheControl = "no-store";
        await AdminPage.WriteAsync(context, "Health", AdminSection.Health, body.ToString());
    }

    private static string Milliseconds(TimeSpan elapsed) => elapsed.TotalMilliseconds.ToString("0.0", CultureInfo.InvariantCulture) + " ms";

    private static partial class Log
    {
        [LoggerMessage(LogEvents.HealthEndpoints.Unready, LogLevel.Warning, "The service is not ready: {Reasons}")]
        public static partial void Unready(ILogger logger, string reasons);
    }
}

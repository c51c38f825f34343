using System.Globalization;
using System.Text;
using Blog.Digests;
using Blog.Feedback;
using Microsoft.AspNetCore.Http;
using Quartz;

namespace Blog.Admin.Runs;

/// <summary>
/// The runs, newest first, with the counts <c>blog digest status</c> shows; one run's counts and its failed deliveries;
/// "Retry failed" (as <c>blog digest retry</c>) and "Send now" for a cadence. Actions answer with a redirect (PRG),
/// whose message names only what the action did, never text from the request.
/// </summary>
internal sealed partial class RunsPage(IDigestLedger ledger, IFeedbackStore feedback, IRunHistory history, DigestSender sender, ISchedulerFactory schedulers,
    IOptions<DigestsOptions> digests, TimeProvider time, ILogger<RunsPage> logger)
{
    /// <summary>The most runs the list shows: two years of a daily and a weekly cadence.</summary>
    public const int MaxRuns = 1000;

    /// <summary>Failed deliveries on one page of a run.</summary>
    public const int PageSize = 100;

    public async Task ListAsync(HttpContext context)
    {
        var cancellationToken = context.RequestAborted;
        var runs = await ledger.RunsAsync(MaxRuns, cancellationToken);
        var body = new StringBuilder();
        if (context.Request.Query["done"] == "sending" && context.Request.Query["cadence"].ToString() is { Length: > 0 } started
            && digests.Value.Cadences.ContainsKey(started))
            body.Append("<p role=\"status\" class=\"message\">A ").Append(AdminPage.Encode(started))
                .Append(" run was started: it appears here once planned, and its digests are sent as it goes.</p>");
        body.Append("<section><h2>Send now</h2>").Append(AdminPage.Form(context, "/runs/send"))
            .Append("<label for=\"cadence\">Cadence</label> <select id=\"cadence\" name=\"cadence\">");
        foreach (var cadence in digests.Value.CadenceNames)
            body.Append("<option>").Append(AdminPage.Encode(cadence)).Append("</option>");
        body.Append("</select> <button type=\"submit\">Send now</button></form>")
            .Append("<p>Plans a run of that cadence now, as <code>blog digest send</code> does; in a cluster one node runs it.</p></section>");
        body.Append("<section><h2>Preview</h2><form method=\"get\" action=\"").Append(AdminPage.Encode(AdminPage.Url(context, "/preview"))).Append("\">")
            .Append("<label for=\"subscriber\">Subscriber (address or id)</label> <input id=\"subscriber\" name=\"subscriber\" required> ")
            .Append("<button type=\"submit\">Preview their next digest</button></form></section>");
        body.Append("<section><h2>Runs</h2>");
        if (runs.Count == 0) body.Append("<p>No digest has run yet.</p>");
        else
        {
            // The same columns as `blog digest status`; bounced, soft and complained count recipients of the run.
            body.Append("<table><thead><tr><th scope=\"col\">Run</th><th scope=\"col\">Cadence</th><th scope=\"col\">Started</th>")
                .Append("<th scope=\"col\">Sent</th><th scope=\"col\">Skipped</th><th scope=\"col\">Failed</th><th scope=\"col\">Pending</th>")
                .Append("<th scope=\"col\">Bounced</th><th scope=\"col\">Soft</th><th scope=\"col\">Complained</th></tr></thead><tbody>");
            foreach (var run in runs)
            {
                body.Append("<tr><th scope=\"row\"><a href=\"").Append(AdminPage.Encode(AdminPage.Url(context, RunPages.RunPath(run.Key)))).Append("\">")
                    .Append(AdminPage.Encode(run.Key)).Append("</a>").Append(run.Planned ? "" : " (planning interrupted)").Append("</th><td>")
                    .Append(AdminPage.Encode(run.Cadence)).Append("</td><td>").Append(RunPages.When(run.CreatedAt)).Append("</td>");
                foreach (var n in (int[])[run.Sent, run.Skipped, run.Failed, run.Pending, run.HardBounces, run.SoftBounces, run.Complaints])
                    body.Append("<td>").Append(n.ToString(CultureInfo.InvariantCulture)).Append("</td>");
                body.Append("</tr>");
            }
            body.Append("</tbody></table>");
            if (runs.Count == MaxRuns) body.Append("<p>The newest ").Append(MaxRuns.ToString(CultureInfo.InvariantCulture)).Append(" runs.</p>");
        }
        body.Append("</section>");
        await AdminPage.WriteAsync(context, "Runs", AdminSection.Runs, body.ToString());
    }

    public async Task DetailAsync(HttpContext context)
    {
        var cancellationToken = context.RequestAborted;
        var key = context.Request.RouteValues["key"] as string ?? "";
        if (await history.FindAsync(key, cancellationToken) is not { } run)
        {
            await NoSuchRunAsync(context, key);
            return;
        }
        var after = long.TryParse(context.Request.Query["after"], NumberStyles.None, CultureInfo.InvariantCulture, out var a) ? a : 0;
        var counts = await feedback.RunFeedbackAsync(key, cancellationToken);
        var failed = await history.FailedAsync(key, after, PageSize + 1, cancellationToken);
        var body = new StringBuilder();
        if (context.Request.Query["done"] == "retried" && int.TryParse(context.Request.Query["count"], NumberStyles.None, CultureInfo.InvariantCulture, out var retried))
            body.Append("<p role=\"status\" class=\"message\">Re-queued ").Append(Count(retried, "failed delivery", "failed deliveries"))
                .Append(": they are sent again as the sender goes.</p>");
        body.Append("<dl><dt>Cadence</dt><dd>").Append(AdminPage.Encode(run.Cadence)).Append("</dd><dt>Started</dt><dd>").Append(RunPages.When(run.CreatedAt))
            .Append("</dd><dt>Planned</dt><dd>").Append(run.PlannedAt is null ? "not yet (planning, or interrupted)" : RunPages.When(run.PlannedAt)).Append("</dd></dl>");
        body.Append("<table><caption>Deliveries, and what came back</caption><tbody>");
        foreach (var (label, n) in (ReadOnlySpan<(string, int)>)[("Sent", counts.Sent), ("Skipped", counts.Skipped), ("Failed", counts.Failed), ("Pending", counts.Pending),
            ("Bounced", counts.HardBounces), ("Soft bounces", counts.SoftBounces), ("Complained", counts.Complaints)])
            body.Append("<tr><th scope=\"row\">").Append(label).Append("</th><td>").Append(n.ToString(CultureInfo.InvariantCulture)).Append("</td></tr>");
        body.Append("</tbody></table>");
        if (counts.Failed > 0)
            body.Append(AdminPage.Form(context, "/runs/retry")).Append("<input type=\"hidden\" name=\"run\" value=\"").Append(AdminPage.Encode(key)).Append("\">")
                .Append("<button type=\"submit\">Retry failed (").Append(counts.Failed.ToString(CultureInfo.InvariantCulture)).Append(")</button></form>");
        body.Append("<section><h2>Failed deliveries</h2>");
        if (failed.Count == 0) body.Append(after == 0 ? "<p>None.</p>" : "<p>No more.</p>");
        else
        {
            body.Append("<table><thead><tr><th scope=\"col\">Address</th><th scope=\"col\">Attempts</th><th scope=\"col\">The server said</th><th scope=\"col\">When</th></tr></thead><tbody>");
            foreach (var delivery in failed.Take(PageSize))
                body.Append("<tr><td>").Append(AdminPage.Encode(delivery.Address)).Append("</td><td>").Append(delivery.Attempts.ToString(CultureInfo.InvariantCulture))
                    .Append("</td><td>").Append(AdminPage.Encode(delivery.LastError)).Append("</td><td>").Append(RunPages.When(delivery.SettledAt)).Append("</td></tr>");
            body.Append("</tbody></table>");
            if (failed.Count > PageSize)
                body.Append("<p><a rel=\"next\" href=\"").Append(AdminPage.Encode(AdminPage.Url(context, RunPages.RunPath(key)) + "?after=" +
                    failed[PageSize - 1].SubscriberId.ToString(CultureInfo.InvariantCulture))).Append("\">Next page</a></p>");
        }
        body.Append("</section>");
        await AdminPage.WriteAsync(context, "Run " + key, AdminSection.Runs, body.ToString());
    }

    public async Task RetryAsync(HttpContext context)
    {
        var form = await Blog.Admin.Access.ConsoleForm.ReadAsync(context);
        var key = form["run"].ToString();
        var count = await ledger.RetryFailedAsync(key, time.GetUtcNow(), context.RequestAborted);
        if (count is null)
        {
            await NoSuchRunAsync(context, key);
            return;
        }
        Log.RetriedFailed(logger, key, count.Value);
        sender.Wake();
        context.Response.Redirect(AdminPage.Url(context, RunPages.RunPath(key)) + "?done=retried&count=" + count.Value.ToString(CultureInfo.InvariantCulture));
        context.Response.StatusCode = StatusCodes.Status303SeeOther;
    }

    public async Task SendNowAsync(HttpContext context)
    {
        var cancellationToken = context.RequestAborted;
        var form = await Blog.Admin.Access.ConsoleForm.ReadAsync(context);
        var cadence = form["cadence"].ToString();
        if (!digests.Value.Cadences.ContainsKey(cadence))
        {
            await AdminPage.WriteAsync(context, "No such cadence", AdminSection.Runs,
                $"<p>cadence: unknown cadence {AdminPage.Encode(Blog.Posts.PostProblem.Quote(cadence))}; the cadences are " +
                $"{AdminPage.Encode(string.Join(", ", digests.Value.CadenceNames))}.</p>", StatusCodes.Status400BadRequest);
            return;
        }
        // Through the scheduler, not planned here: the job store hands the fire to one node of a cluster, and the job
        // never runs beside a scheduled fire of the same cadence.
        var data = new JobDataMap();
        data.Add(DigestJob.ManualKey, "true");
        var scheduler = await schedulers.GetScheduler(cancellationToken);
        await scheduler.TriggerJob(DigestJob.Key(cadence), data, cancellationToken);
        Log.SendNow(logger, cadence);
        context.Response.Redirect(AdminPage.Url(context, "/runs") + "?done=sending&cadence=" + Uri.EscapeDataString(cadence));
        context.Response.StatusCode = StatusCodes.Status303SeeOther;
    }

    private static Task NoSuchRunAsync(HttpContext context, string key) =>
        AdminPage.WriteAsync(context, "No such run", AdminSection.Runs,
            $"<p>There is no run {AdminPage.Encode(Blog.Posts.PostProblem.Quote(key))}. <a href=\"{AdminPage.Encode(AdminPage.Url(context, "/runs"))}\">The runs</a> lists them.</p>",
            StatusCodes.Status404NotFound);

    private static string Count(int n, string one, string many) => n.ToString(CultureInfo.InvariantCulture) + " " + (n == 1 ? one : many);

    private static partial class Log
    {
        [LoggerMessage(LogEvents.RunsPage.RetriedFailed, LogLevel.Information, "Console: re-queued the {Count} failed deliveries of digest run {Run}")]
        public static partial void RetriedFailed(ILogger logger, string run, int count);

        [LoggerMessage(LogEvents.RunsPage.SendNow, LogLevel.Information, "Console: send now, a manual {Cadence} digest run triggered")]
        public static partial void SendNow(ILogger logger, string cadence);
    }
}

using System.Globalization;
using System.Text;
using Blog.Admin.Charts;
using Blog.Digests;
using Blog.Mail;
using Blog.MailingList;
using Blog.Serving;
using Blog.Storage;
using Microsoft.AspNetCore.Http;

namespace Blog.Admin.Overview;

/// <summary>
/// The console's first page: the list by status, four charts over 30, 90 or 365 days (or the last 30 runs), the
/// outbox, the last build with its post problems, and the scheduler's nodes.
/// </summary>
internal sealed class OverviewPage(BriefCounts brief, ISubscriberHistory history, IFeedReadersPerDay feedReaders, IMailOutbox outbox,
    ISchedulerNodes schedulerNodes, Database database, TimeProvider time, IServiceProvider services)
{
    public static readonly ImmutableArray<int> Ranges = [30, 90, 365];

    // A page lists this many post problems; the log and `blog build` have them all.
    private const int MaxProblems = 50;

    public async Task ShowAsync(HttpContext context)
    {
        var cancellationToken = context.RequestAborted;
        var range = Range(context.Request.Query["days"].ToString());
        var now = time.GetUtcNow();
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        var from = today.AddDays(1 - range);
        var firstWeek = from.AddDays(-(((int)from.DayOfWeek + 6) % 7));

        var (counts, runs) = await brief.GetAsync(cancellationToken);
        // From a week earlier: the last row before the range carries into its first days when they have none.
        var days = await history.DaysAsync(firstWeek.AddDays(-7), today, cancellationToken);
        var readers = await feedReaders.DaysAsync(from, today, cancellationToken);
        var queued = await outbox.CountAsync(cancellationToken);
        var nodes = await schedulerNodes.NodesAsync(cancellationToken);

        var body = new StringBuilder(64 * 1024);
        body.Append("<link rel=\"stylesheet\" href=\"").Append(AdminPage.Encode(AdminPage.Url(context, "/assets/charts.css"))).Append("\">");
        Counts(body, counts);
        body.Append("<nav aria-label=\"Range\"><ul class=\"range\">");
        foreach (var r in Ranges)
        {
            body.Append("<li><a href=\"").Append(AdminPage.Encode(AdminPage.Url(context, "/?days=" + r.ToString(CultureInfo.InvariantCulture)))).Append('"');
            if (r == range) body.Append(" aria-current=\"page\"");
            body.Append('>').Append(r.ToString(CultureInfo.InvariantCulture)).Append(" days</a></li>");
        }
        body.Append("</ul></nav>");
        body.Append(ChartFigure.Html(OverviewCharts.Subscribers(days, from, today), ChartKind.Line));
        body.Append(ChartFigure.Html(OverviewCharts.Weekly(days, firstWeek, today), ChartKind.Bars));
        body.Append(ChartFigure.Html(OverviewCharts.Runs(runs), ChartKind.Bars));
        body.Append(ChartFigure.Html(OverviewCharts.Readers(readers, from, today), ChartKind.Line));
        Outbox(body, queued);
        Build(body, services.GetService<SiteHolder>()?.Current);
        Nodes(body, nodes, now);
        await AdminPage.WriteAsync(context, "Overview", AdminSection.Overview, body.ToString());
    }

    /// <summary>The range asked for, or the shortest when it is none of the offered ones.</summary>
    public static int Range(string? days) =>
        int.TryParse(days, NumberStyles.None, CultureInfo.InvariantCulture, out var d) && Ranges.Contains(d) ? d : Ranges[0];

    private static void Counts(StringBuilder body, SubscriberCounts counts)
    {
        body.Append("<section aria-labelledby=\"counts\"><h2 id=\"counts\">Subscribers by status</h2><dl class=\"counts\">");
        foreach (var (key, label, count) in new[]
        {
            ("active", "Active", counts.Active), ("pending", "Pending", counts.Pending), ("unsubscribed", "Unsubscribed", counts.Unsubscribed),
            ("bounced", "Bounced", counts.Bounced), ("complained", "Complained", counts.Complained),
        })
        {
            body.Append("<div class=\"s-").Append(key).Append("\"><dt>").Append(label).Append("</dt><dd data-status=\"").Append(key).Append("\">")
                .Append(count.ToString("N0", CultureInfo.InvariantCulture)).Append("</dd></div>");
        }
        body.Append("</dl></section>");
    }

    private static void Outbox(StringBuilder body, OutboxCounts queued)
    {
        body.Append("<section aria-labelledby=\"outbox\"><h2 id=\"outbox\">Outbox</h2><p><span data-outbox=\"pending\">")
            .Append(queued.Pending.ToString("N0", CultureInfo.InvariantCulture)).Append("</span> waiting to be sent, <span data-outbox=\"failed\">")
            .Append(queued.Failed.ToString("N0", CultureInfo.InvariantCulture)).Append("</span> given up on.</p></section>");
    }

    private static void Build(StringBuilder body, PublishedSite? site)
    {
        body.Append("<section aria-labelledby=\"build\"><h2 id=\"build\">Last build</h2>");
        if (site is null || site.BuiltAt == DateTimeOffset.UnixEpoch)
        {
            body.Append("<p class=\"muted\">Not built yet.</p>");
        }
        else
        {
            body.Append("<p>Built ").Append(AdminPage.Time(site.BuiltAt)).Append(", ").Append(site.Posts.ToString("N0", CultureInfo.InvariantCulture))
                .Append(site.Posts == 1 ? " post" : " posts").Append(" published.</p>");
        }
        if (site?.StoreError is { } store && site.BuiltAt != DateTimeOffset.UnixEpoch)
            body.Append("<p class=\"error\">The post folder could not be read: ").Append(AdminPage.Encode(store)).Append("</p>");
        if (site?.OutputError is { } output)
            body.Append("<p class=\"error\">The output folder could not be written: ").Append(AdminPage.Encode(output)).Append("</p>");
        var problems = site?.Problems ?? [];
        if (problems.IsEmpty)
        {
            body.Append("<p>No post problems.</p>");
        }
        else
        {
            body.Append("<table><caption>").Append(problems.Length.ToString("N0", CultureInfo.InvariantCulture))
                .Append(problems.Length == 1 ? " post file skipped" : " post files skipped")
                .Append("</caption><thead><tr><th scope=\"col\">File</th><th scope=\"col\" class=\"number\">Line</th><th scope=\"col\">Field</th>")
                .Append("<th scope=\"col\">Value</th><th scope=\"col\">Problem</th></tr></thead><tbody>");
            foreach (var problem in problems.Take(MaxProblems))
            {
                body.Append("<tr><td>").Append(AdminPage.Encode(problem.Path)).Append("</td><td class=\"number\">")
                    .Append(problem.Line > 0 ? problem.Line.ToString(CultureInfo.InvariantCulture) : "").Append("</td><td>")
                    .Append(AdminPage.Encode(problem.Field)).Append("</td><td><code>").Append(AdminPage.Encode(PostProblemValue(problem.Value)))
                    .Append("</code></td><td>").Append(AdminPage.Encode(problem.Message)).Append("</td></tr>");
            }
            body.Append("</tbody></table>");
            if (problems.Length > MaxProblems)
                body.Append("<p class=\"muted\">And ").Append((problems.Length - MaxProblems).ToString("N0", CultureInfo.InvariantCulture))
                    .Append(" more: see <code>blog build</code>.</p>");
        }
        body.Append("</section>");
    }

    private void Nodes(StringBuilder body, IReadOnlyList<SchedulerNode> nodes, DateTimeOffset now)
    {
        body.Append("<section aria-labelledby=\"nodes\"><h2 id=\"nodes\">Nodes</h2>");
        if (nodes.Count == 0)
        {
            body.Append(database.Dialect == SqlDialect.Sqlite
                ? "<p>One node, on SQLite: <strong>"
                : "<p>No node of the digest scheduler has checked in yet. This one is <strong>")
                .Append(AdminPage.Encode(Environment.MachineName)).Append("</strong>.</p></section>");
            return;
        }
        body.Append("<table><thead><tr><th scope=\"col\">Node</th><th scope=\"col\">Last checked in</th><th scope=\"col\">State</th></tr></thead><tbody>");
        foreach (var node in nodes)
        {
            // Quartz takes over a node's work once it is late by more than its interval and a grace; twice the interval says "late" before that.
            var late = now - node.LastCheckIn > node.CheckInInterval * 2 + TimeSpan.FromSeconds(5);
            body.Append("<tr><td>").Append(AdminPage.Encode(node.Name)).Append("</td><td>").Append(AdminPage.Time(node.LastCheckIn))
                .Append(" (").Append(Ago(now - node.LastCheckIn)).Append(")</td><td").Append(late ? " class=\"error\">late" : ">checking in")
                .Append("</td></tr>");
        }
        body.Append("</tbody></table></section>");
    }

    private static string PostProblemValue(string value) => Blog.Posts.PostProblem.Quote(value);

    private static string Ago(TimeSpan span) =>
        span < TimeSpan.FromMinutes(1) ? Math.Max(0, (int)span.TotalSeconds).ToString(CultureInfo.InvariantCulture) + " s ago"
        : span < TimeSpan.FromHours(1) ? ((int)span.TotalMinutes).ToString(CultureInfo.InvariantCulture) + " min ago"
        : span < TimeSpan.FromDays(2) ? ((int)span.TotalHours).ToString(CultureInfo.InvariantCulture) + " h ago"
        : ((int)span.TotalDays).ToString(CultureInfo.InvariantCulture) + " days ago";
}

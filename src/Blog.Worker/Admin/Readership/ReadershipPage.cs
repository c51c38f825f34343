using System.Globalization;
using System.Text;
using Blog.Readership;
using Microsoft.AspNetCore.Http;

namespace Blog.Admin.Readership;

/// <summary>
/// <c>GET /readership</c>: per feed, today and the last 30 days, what aggregators report and how many direct readers
/// came, with the totals per day. Today is still being counted (and the last few seconds are not flushed yet).
/// </summary>
internal sealed class ReadershipPage(IReadershipStore store, IOptions<ReadershipOptions> options, TimeProvider time)
{
    public const int Days = 30;

    public async Task ShowAsync(HttpContext context)
    {
        var today = ReadershipRecorder.DayOf(time.GetUtcNow());
        var first = today.AddDays(1 - Days);
        var report = await store.ReportAsync(first, today, options.Value.Limits(), context.RequestAborted);
        var html = new StringBuilder();
        html.Append("<p class=\"muted\">Counted from each request for the index's and the tags' feeds (RSS, Atom, JSON Feed), by day in UTC. ")
            .Append("Aggregators: the subscriber count each one reports in its User-Agent, the latest of the day. ")
            .Append("Direct readers: distinct network and User-Agent pairs of the day, an estimate; no address is stored. ")
            .Append("\u2265 marks a day that reached the cap of ").Append(N(options.Value.MaxReadersPerFeedDay)).Append(" readers.</p>");
        if (report.Days.Count == 0)
        {
            html.Append("<p>No feed requests counted in the last ").Append(Days).Append(" days.</p>");
            await AdminPage.WriteAsync(context, "Feed readership", AdminSection.Readership, html.ToString());
            return;
        }

        html.Append("<h2>Per feed</h2><table><thead><tr><th>Feed</th>")
            .Append("<th class=\"number\">Via aggregators today</th><th class=\"number\">Direct readers today</th>")
            .Append("<th class=\"number\">Via aggregators, highest in ").Append(Days).Append(" days</th>")
            .Append("<th class=\"number\">Direct readers, daily average in ").Append(Days).Append(" days</th></tr></thead><tbody>");
        foreach (var feed in report.Days.GroupBy(d => d.Feed).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var now = feed.FirstOrDefault(d => d.Day == today);
            html.Append("<tr><td>").Append(AdminPage.Encode(feed.Key)).Append("</td>")
                .Append(Number(now?.AggregatorSubscribers ?? 0))
                .Append(Number(now?.DirectReaders ?? 0, now?.AtLeast == true))
                .Append(Number(feed.Max(d => d.AggregatorSubscribers)))
                .Append(Number((long)Math.Round(feed.Sum(d => d.DirectReaders) / (double)Days), feed.Any(d => d.AtLeast)))
                .Append("</tr>");
        }
        html.Append("</tbody></table>");

        html.Append("<h2>Aggregators</h2>");
        if (report.Aggregators.Count == 0) html.Append("<p>No aggregator reported a count in the last ").Append(Days).Append(" days.</p>");
        else
        {
            // Each aggregator's latest report in the window, per feed: one that stopped polling shows when it last did.
            html.Append("<table><thead><tr><th>Feed</th><th>Aggregator</th><th class=\"number\">Subscribers</th><th>Reported on</th></tr></thead><tbody>");
            foreach (var latest in report.Aggregators.GroupBy(a => (a.Feed, a.Aggregator)).Select(g => g.MaxBy(a => a.Day)!)
                .OrderBy(a => a.Feed, StringComparer.Ordinal).ThenByDescending(a => a.Subscribers).ThenBy(a => a.Aggregator, StringComparer.Ordinal))
            {
                html.Append("<tr><td>").Append(AdminPage.Encode(latest.Feed)).Append("</td><td>").Append(AdminPage.Encode(latest.Aggregator)).Append("</td>")
                    .Append(Number(latest.Subscribers)).Append("<td>").Append(Day(latest.Day, today)).Append("</td></tr>");
            }
            html.Append("</tbody></table>");
        }

        html.Append("<h2>Every feed, per day</h2><table><thead><tr><th>Day</th><th class=\"number\">Via aggregators</th>")
            .Append("<th class=\"number\">Direct readers</th></tr></thead><tbody>");
        foreach (var day in report.Totals().Reverse())
            html.Append("<tr><td>").Append(Day(day.Day, today)).Append("</td>").Append(Number(day.AggregatorSubscribers))
                .Append(Number(day.DirectReaders, day.AtLeast)).Append("</tr>");
        html.Append("</tbody></table>");
        await AdminPage.WriteAsync(context, "Feed readership", AdminSection.Readership, html.ToString());
    }

    private static string N(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    private static string Number(long value, bool atLeast = false) => $"<td class=\"number\">{(atLeast ? "\u2265 " : "")}{N(value)}</td>";

    private static string Day(DateOnly day, DateOnly today) =>
        day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) + (day == today ? " (today, so far)" : "");
}

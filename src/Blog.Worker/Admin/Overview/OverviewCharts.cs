using System.Globalization;
using Blog.Admin.Charts;
using Blog.Digests;
using Blog.MailingList;

namespace Blog.Admin.Overview;

/// <summary>The overview's four charts, from the rows the stores give: what each shows, labelled and described.</summary>
internal static class OverviewCharts
{
    private static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static IEnumerable<DateOnly> Each(DateOnly from, DateOnly to, int step = 1)
    {
        for (var day = from; day <= to; day = day.AddDays(step)) yield return day;
    }

    /// <summary>
    /// Subscribers by status at the end of each day from <paramref name="from"/> to <paramref name="to"/>. A day
    /// without a row (the service was not running, and the gap not yet filled in) shows the last row before it.
    /// </summary>
    public static ChartData Subscribers(IReadOnlyList<SubscriberDay> days, DateOnly from, DateOnly to)
    {
        var labels = Each(from, to).ToList();
        long[][] values = [new long[labels.Count], new long[labels.Count], new long[labels.Count], new long[labels.Count], new long[labels.Count]];
        SubscriberDay? carried = null;
        var next = 0;
        for (var i = 0; i < labels.Count; i++)
        {
            while (next < days.Count && days[next].Day <= labels[i]) carried = days[next++];
            if (carried is null) continue;
            values[0][i] = carried.Active;
            values[1][i] = carried.Pending;
            values[2][i] = carried.Unsubscribed;
            values[3][i] = carried.Bounced;
            values[4][i] = carried.Complained;
        }
        return new ChartData("subscribers", "Subscribers over time",
            $"Subscribers by status at the end of each day (UTC), from {Day(from)} to {Day(to)}; today's as of a few minutes ago.", "Day",
            [.. labels.Select(Day)],
            [
                new ChartSeries("Active", "active", [.. values[0]]), new ChartSeries("Pending", "pending", [.. values[1]]),
                new ChartSeries("Unsubscribed", "unsubscribed", [.. values[2]]), new ChartSeries("Bounced", "bounced", [.. values[3]]),
                new ChartSeries("Complained", "complained", [.. values[4]]),
            ]);
    }

    /// <summary>Sign-ups and unsubscribes per week (Monday to Sunday), the weeks from the one starting <paramref name="firstWeek"/> to the one holding <paramref name="to"/>.</summary>
    public static ChartData Weekly(IReadOnlyList<SubscriberDay> days, DateOnly firstWeek, DateOnly to)
    {
        var weeks = Each(firstWeek, to, 7).ToList();
        var signUps = new long[weeks.Count];
        var unsubscribes = new long[weeks.Count];
        foreach (var day in days)
        {
            if (day.Day < firstWeek || day.Day > to) continue;
            var week = (day.Day.DayNumber - firstWeek.DayNumber) / 7;
            signUps[week] += day.SignUps;
            unsubscribes[week] += day.Unsubscribes;
        }
        return new ChartData("weekly", "Sign-ups and unsubscribes per week",
            $"Sign-ups and unsubscribes in each week (Monday to Sunday, UTC), from the week of {Day(firstWeek)} to {Day(to)}.", "Week of",
            [.. weeks.Select(Day)],
            [new ChartSeries("Sign-ups", "signups", [.. signUps]), new ChartSeries("Unsubscribes", "unsubscribes", [.. unsubscribes])]);
    }

    /// <summary>Each of the last runs, oldest first: its mail sent and failed, and the bounces and complaints that came back about it.</summary>
    public static ChartData Runs(IReadOnlyList<DigestRunSummary> runs)
    {
        var oldestFirst = runs.OrderBy(r => r.CreatedAt).ThenBy(r => r.Key, StringComparer.Ordinal).ToList();
        var description = oldestFirst.Count == 0
            ? "Mail sent, failed, bounced and complained about per digest run: no run yet."
            : $"Mail sent, failed, bounced (hard or soft) and complained about, for each of the last {oldestFirst.Count} digest runs, " +
              $"from {Day(DateOnly.FromDateTime(oldestFirst[0].CreatedAt.UtcDateTime))} to {Day(DateOnly.FromDateTime(oldestFirst[^1].CreatedAt.UtcDateTime))}.";
        return new ChartData("runs", "Digest runs", description, "Run",
            [.. oldestFirst.Select(r => r.Cadence + " " + r.CreatedAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture))],
            [
                new ChartSeries("Sent", "sent", [.. oldestFirst.Select(r => (long)r.Sent)]),
                new ChartSeries("Failed", "failed", [.. oldestFirst.Select(r => (long)r.Failed)]),
                new ChartSeries("Bounced", "bounced", [.. oldestFirst.Select(r => (long)r.HardBounces + r.SoftBounces)]),
                new ChartSeries("Complained", "complained", [.. oldestFirst.Select(r => (long)r.Complaints)]),
            ]);
    }

    /// <summary>Feed readers each day, all feeds together: readers counted directly, and subscribers aggregators report.</summary>
    public static ChartData Readers(IReadOnlyList<FeedReadersDay> readers, DateOnly from, DateOnly to)
    {
        var labels = Each(from, to).ToList();
        var direct = new long[labels.Count];
        var aggregated = new long[labels.Count];
        foreach (var day in readers)
        {
            if (day.Day < from || day.Day > to) continue;
            var i = day.Day.DayNumber - from.DayNumber;
            direct[i] = day.Direct;
            aggregated[i] = day.Aggregated;
        }
        return new ChartData("readers", "Feed readers per day",
            $"Readers of all the feeds each day (UTC), from {Day(from)} to {Day(to)}: direct readers counted, and the subscribers aggregators report.", "Day",
            [.. labels.Select(Day)],
            [new ChartSeries("Direct readers", "readers", [.. direct]), new ChartSeries("Through aggregators", "aggregators", [.. aggregated])]);
    }
}

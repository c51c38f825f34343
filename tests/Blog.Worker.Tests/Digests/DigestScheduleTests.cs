using System.Globalization;
using System.Text.RegularExpressions;
using Blog.Digests;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Time.Testing;
using Quartz;

namespace Blog.Tests.Digests;

/// <summary>Quartz in the running service, with its job store in the SQLite file, on a fake clock.</summary>
public sealed partial class DigestScheduleTests
{
    // Monday 2 March 2026, a minute before the weekly digest.
    private static readonly DateTimeOffset BeforeMonday8 = new(2026, 3, 2, 7, 59, 0, TimeSpan.Zero);

    private static Task<RunningBlog> Start(TempFolder folder, FakeTimeProvider time, params string[] settings) =>
        RunningBlog.StartAsync(Path.Combine(TestSite.RepositoryRoot(), "content", "posts"), folder.Combine("out"), selfLinked: false, time,
            ["--data", folder.Combine("data"), "--Mail:PollInterval=00:00:00.200", .. settings]);

    private static async Task<IReadOnlyList<DigestRunSummary>> Runs(RunningBlog blog) =>
        await blog.Service<IDigestLedger>().RunsAsync(100, CancellationToken.None);

    /// <summary>
    /// Until Quartz has settled on the clock's present: started (so a fire missed while the service was down has been
    /// made up or rescheduled), no fire in flight (a fired trigger keeps its row in the job store from acquisition
    /// until its job has finished), and every trigger next due after now. From then on nothing fires until the clock
    /// moves: the wait before moving it, and what has not happened by then is not going to.
    /// </summary>
    private static async Task Settled(RunningBlog blog, TimeProvider time)
    {
        var scheduler = await blog.Service<ISchedulerFactory>().GetScheduler();
        await Eventually.Until(async () => scheduler.Status == SchedulerStatus.Running && await UnsettledAsync(blog, time) == 0, "the schedule settled");
    }

    /// <summary>The fires in flight and the triggers due by now (or one, when there are no triggers yet), in the job store.</summary>
    private static async Task<long> UnsettledAsync(RunningBlog blog, TimeProvider time)
    {
        await using var connection = new SqliteConnection($"Data Source={Path.Combine(blog.DataPath, "blog.db")};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT (SELECT COUNT(*) FROM qrtz_fired_triggers) + (SELECT COUNT(*) FROM qrtz_triggers WHERE next_fire_time <= $now)"
            + " + (SELECT COUNT(*) = 0 FROM qrtz_triggers)";
        command.Parameters.AddWithValue("$now", time.GetUtcNow().UtcTicks);
        return Convert.ToInt64(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
    }

    /// <summary>How many digests the service's delivery rounds reported sent: a round reports once its sending is over.</summary>
    private static int ReportedSent(RunningBlog blog) =>
        blog.Log.Entries.Select(e => RoundLine().Match(e.Message)).Where(m => m.Success).Sum(m => int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture));

    [GeneratedRegex(@"^Digests: (\d+) sent, \d+ skipped, \d+ failed$")]
    private static partial Regex RoundLine();

    [Fact]
    public async Task Each_cadence_fires_at_its_time_and_plans_that_days_run()
    {
        using var folder = new TempFolder();
        var time = new FakeTimeProvider(BeforeMonday8);
        await using var blog = await Start(folder, time);
        // Waiting for 08:00: nothing fired before its time.
        await Settled(blog, time);
        Assert.Empty(await Runs(blog));

        time.Advance(TimeSpan.FromMinutes(1) + TimeSpan.FromSeconds(1));
        // Monday 08:00 is both the daily and the weekly time.
        await Eventually.Until(async () => (await Runs(blog)).Count(r => r.Planned) == 2, "the daily and weekly runs planned");
        Assert.Equal(["daily/2026-03-02T08:00:00Z", "weekly/2026-03-02T08:00:00Z"], (await Runs(blog)).Select(r => r.Key).Order());

        // The next day only the daily one fires.
        time.Advance(TimeSpan.FromDays(1));
        await Eventually.Until(async () => (await Runs(blog)).Count == 3, "Tuesday's daily run");
        Assert.Equal(["daily/2026-03-02T08:00:00Z", "daily/2026-03-03T08:00:00Z", "weekly/2026-03-02T08:00:00Z"], (await Runs(blog)).Select(r => r.Key).Order());
    }

    [Fact]
    public async Task A_run_missed_while_the_service_was_down_is_sent_once_at_start_and_never_twice()
    {
        using var folder = new TempFolder();
        var time = new FakeTimeProvider(BeforeMonday8);
        // Up long enough to have stored its triggers, next due on Monday 08:00.
        await using (var first = await Start(folder, time))
            await Settled(first, time);

        // Down over Monday 08:00; back on Tuesday.
        time.Advance(TimeSpan.FromDays(1) + TimeSpan.FromHours(2));
        await using (var back = await Start(folder, time))
        {
            await Eventually.Until(async () => (await Runs(back)).Count(r => r.Planned) == 2, "the missed runs made up");
            await Settled(back, time);
            // Daily missed two fires (Monday and Tuesday 08:00): made up once, not twice.
            Assert.Equal(["daily/2026-03-02T08:00:00Z", "weekly/2026-03-02T08:00:00Z"], (await Runs(back)).Select(r => r.Key).Order());
        }

        // Another restart the same week makes up nothing more.
        time.Advance(TimeSpan.FromHours(1));
        await using (var again = await Start(folder, time))
        {
            await Settled(again, time);
            Assert.Equal(["daily/2026-03-02T08:00:00Z", "weekly/2026-03-02T08:00:00Z"], (await Runs(again)).Select(r => r.Key).Order());
        }
    }

    [Fact]
    public async Task A_scheduled_run_is_delivered_by_the_service_once_to_each_subscriber()
    {
        await using var blog = await DigestBlog.CreateAsync(20);
        using var output = new TempFolder();
        var now = DateTimeOffset.UtcNow;
        var time = new FakeTimeProvider(now);
        var fire = now.AddMinutes(1);
        string[] settings = [.. blog.ServiceSettings, $"--Digests:Cadences:weekly:Cron={fire.Second} {fire.Minute} {fire.Hour} * * ?", "--Mail:PollInterval=00:00:00.200",
            "--Logging:LogLevel:Blog.Digests.DigestRounds=Information"];
        await using var service = await RunningBlog.StartAsync(blog.Posts, output.Combine("out"), selfLinked: false, time, settings);
        await Settled(service, time);
        time.Advance(TimeSpan.FromMinutes(1) + TimeSpan.FromSeconds(1));
        // Every round that sent has reported it, and the schedule fires nothing more: no send is still to come.
        await Eventually.Until(() => ReportedSent(service) >= 20, "20 digests reported sent");
        await Settled(service, time);
        Assert.Equal(20, ReportedSent(service));
        Assert.Equal(20, blog.MessagesPerRecipient().Count);
        Assert.All(blog.MessagesPerRecipient().Values, n => Assert.Equal(1, n));
        Assert.All(blog.Smtp.Received, m => Assert.StartsWith("digest.weekly.", m.MessageId, StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_hourly_cadence_plans_a_run_an_hour_over_a_day()
    {
        using var folder = new TempFolder();
        var time = new FakeTimeProvider(BeforeMonday8);
        await using var blog = await Start(folder, time, "--Digests:Cadences:hourly:Cron=0 0 * * * ?");
        await Settled(blog, time);
        for (var hour = 1; hour <= 24; hour++)
        {
            time.Advance(TimeSpan.FromHours(1));
            await Eventually.Until(async () => (await Runs(blog)).Count(r => r.Planned && r.Cadence == "hourly") == hour, $"the run of hour {hour}");
        }
        var keys = (await Runs(blog)).Where(r => r.Cadence == "hourly").Select(r => r.Key).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(24, keys.Distinct().Count());
        Assert.Equal("hourly/2026-03-02T08:00:00Z", keys[0]);
        Assert.Equal("hourly/2026-03-03T07:00:00Z", keys[^1]);
    }

    [Fact]
    public async Task A_post_whose_file_is_broken_when_a_run_is_planned_is_mailed_in_its_last_good_version()
    {
        await using var blog = await DigestBlog.CreateAsync(3);
        using var output = new TempFolder();
        var now = DateTimeOffset.UtcNow;
        var time = new FakeTimeProvider(now);
        var fire = now.AddMinutes(1);
        string[] settings = [.. blog.ServiceSettings, $"--Digests:Cadences:weekly:Cron={fire.Second} {fire.Minute} {fire.Hour} * * ?", "--Mail:PollInterval=00:00:00.200",
            "--Posts:Debounce=00:00:00"];
        await using var service = await RunningBlog.StartAsync(blog.Posts, output.Combine("out"), selfLinked: false, time, settings);
        Assert.Equal(1, service.Site.Posts);

        // Broken after it was published: the feeds keep its last good version, and so must the digest.
        File.WriteAllText(Path.Combine(blog.Posts, "post-0.md"), "---\ntitle: [unclosed\n---\n");
        await Eventually.Until(() => service.Site.Problems.Length == 1, "the problem noticed");
        Assert.Equal(1, service.Site.Posts);

        await Settled(service, time);
        time.Advance(TimeSpan.FromMinutes(1) + TimeSpan.FromSeconds(1));
        await Eventually.Until(() => blog.Smtp.Received.Count >= 3, "3 digests delivered");
        Assert.All(blog.Smtp.Received, m => Assert.Equal("Blog: Post 0", m.Subject));
    }

    [Fact]
    public async Task Digests_TimeZone_fires_at_the_local_time_on_the_local_day_across_a_DST_change()
    {
        using var folder = new TempFolder();
        // Sunday 1 March 2026, 18:59 UTC: Monday 07:59 in Auckland (NZDT, UTC+13).
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 3, 1, 18, 59, 0, TimeSpan.Zero));
        await using var blog = await Start(folder, time, "--Digests:TimeZone=Pacific/Auckland");
        // Should the scheduler start after this, the fire is a misfire, made up once at start: the same run either way.
        time.Advance(TimeSpan.FromMinutes(1) + TimeSpan.FromSeconds(1));
        // Monday 08:00 local: the daily run and, though it is Sunday in UTC, the weekly (MON) one.
        await Eventually.Until(async () => (await Runs(blog)).Count(r => r.Planned) == 2, "Monday's daily and weekly runs in Auckland");
        Assert.Equal(["daily/2026-03-01T19:00:00Z", "weekly/2026-03-01T19:00:00Z"], (await Runs(blog)).Select(r => r.Key).Order());

        // Summer time ends on Sunday 5 April 2026 (03:00 NZDT becomes 02:00 NZST, UTC+12): 08:00 is an hour later in UTC.
        time.Advance(new DateTimeOffset(2026, 4, 5, 19, 59, 0, TimeSpan.Zero) - time.GetUtcNow());
        await Eventually.Until(async () => (await Runs(blog)).Count(r => r.Planned && r.Cadence == "daily") == 2, "the missed daily runs made up once");
        time.Advance(TimeSpan.FromMinutes(1) + TimeSpan.FromSeconds(1));
        await Eventually.Until(async () => (await Runs(blog)).Any(r => r.Key == "daily/2026-04-05T20:00:00Z" && r.Planned), "Monday 6 April 08:00 NZST");
    }
}

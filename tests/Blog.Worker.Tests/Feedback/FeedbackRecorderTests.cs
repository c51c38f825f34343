using Blog.Digests;
using Blog.Feedback;
using Blog.Mail;
using Blog.MailingList;
using Blog.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Blog.Tests.Feedback;

/// <summary>
/// The recorder on a real SQLite store: it acts under the configured rules, logs what each report did, and warns once
/// per run when the run's complaints pass 0.1 % of its sent mail or its hard bounces 2 %.
/// </summary>
public sealed class FeedbackRecorderTests : IDisposable
{
    private const string Run = "weekly/2026-03-02";
    private static readonly DateTimeOffset Now = new(2026, 3, 2, 8, 0, 0, TimeSpan.Zero);
    private readonly TempFolder folder = new();
    private readonly SqliteDatabase database;
    private readonly SqlFeedbackStore store;
    private readonly CapturedLog log = new();
    private readonly ILoggerFactory loggers;

    public FeedbackRecorderTests()
    {
        database = TestSubscriptions.Database(folder.Path);
        store = new SqlFeedbackStore(database);
        loggers = LoggerFactory.Create(b => b.AddProvider(log).SetMinimumLevel(LogLevel.Trace));
    }

    public void Dispose()
    {
        loggers.Dispose();
        database.Dispose();
        folder.Dispose();
    }

    private FeedbackRecorder Recorder() =>
        new(store, Options.Create(new MailOptions { MaxBounces = 1, MaxSoftBounces = 5, SoftBounceWindow = TimeSpan.FromDays(14) }), loggers.CreateLogger<FeedbackRecorder>());

    /// <summary>A run sent to <paramref name="count"/> subscribers; their ids.</summary>
    private async Task<IReadOnlyList<long>> SendAsync(int count, int? sentCount = null)
    {
        var subscribers = new SqlSubscriberStore(database);
        await subscribers.ImportAsync([.. Enumerable.Range(0, count).Select(i => TestSubscriptions.Draft($"reader{i:D4}@example.com", SubscriberStatus.Active))],
            Now, null, null, CancellationToken.None);
        var ids = new List<long>();
        await foreach (var s in subscribers.ListAsync(CancellationToken.None)) ids.Add(s.Id);
        var ledger = new SqlDigestLedger(database);
        await ledger.OpenRunAsync(Run, "weekly", Now, CancellationToken.None);
        await ledger.AddAsync(Run, [.. ids.Select(id => new PlannedDelivery(id, ["post"], Now, $"d.{id}@blog.test"))], Now, CancellationToken.None);
        await using var connection = await database.OpenAsync(CancellationToken.None);
        await using var sent = connection.CreateCommand();
        // The rest stay pending, as in a run still going out.
        sent.CommandText = sentCount is null ? "UPDATE deliveries SET status = 'sent'"
            : $"UPDATE deliveries SET status = 'sent' WHERE subscriber_id IN (SELECT subscriber_id FROM deliveries ORDER BY subscriber_id LIMIT {sentCount})";
        await sent.ExecuteNonQueryAsync();
        return ids;
    }

    private static FeedbackEvent Event(string key, FeedbackKind kind, long subscriber, string? run = Run) =>
        new(key, kind, "imap", Now.AddHours(1), new FeedbackTarget(subscriber, run), "diagnostic");

    [Fact]
    public async Task Complaints_over_a_tenth_of_a_percent_of_a_runs_sent_mail_warn_once_naming_the_run()
    {
        var ids = await SendAsync(1000);
        var recorder = Recorder();
        // 1 in 1,000 is 0.1 %: not over.
        await recorder.RecordAsync(Event("c0", FeedbackKind.Complaint, ids[0]), CancellationToken.None);
        Assert.Equal(0, log.Count("complaint", LogLevel.Warning));
        await recorder.RecordAsync(Event("c1", FeedbackKind.Complaint, ids[1]), CancellationToken.None);
        Assert.Equal(1, log.Count($"Run {Run}: 2 complaints of 1000 sent", LogLevel.Warning));
        // Later complaints, and a restarted service, do not warn again.
        await recorder.RecordAsync(Event("c2", FeedbackKind.Complaint, ids[2]), CancellationToken.None);
        await Recorder().RecordAsync(Event("c3", FeedbackKind.Complaint, ids[3]), CancellationToken.None);
        Assert.Equal(1, log.Count("complaint", LogLevel.Warning));
        // Nor did they warn about bounces.
        Assert.Equal(0, log.Count("bounce", LogLevel.Warning));
    }

    [Fact]
    public async Task Hard_bounces_over_two_percent_of_a_runs_sent_mail_warn_once_naming_the_run()
    {
        var ids = await SendAsync(100);
        var recorder = Recorder();
        await recorder.RecordAsync(Event("h0", FeedbackKind.HardBounce, ids[0]), CancellationToken.None);
        await recorder.RecordAsync(Event("h1", FeedbackKind.HardBounce, ids[1]), CancellationToken.None);
        // Soft bounces and complaints are not hard bounces.
        await recorder.RecordAsync(Event("s2", FeedbackKind.SoftBounce, ids[2]), CancellationToken.None);
        Assert.Equal(0, log.Count("bounce", LogLevel.Warning));
        await recorder.RecordAsync(Event("h3", FeedbackKind.HardBounce, ids[3]), CancellationToken.None);
        Assert.Equal(1, log.Count($"Run {Run}: 3 hard bounces of 100 sent", LogLevel.Warning));
        await recorder.RecordAsync(Event("h4", FeedbackKind.HardBounce, ids[4]), CancellationToken.None);
        Assert.Equal(1, log.Count("hard bounces", LogLevel.Warning));
    }

    [Fact]
    public async Task Send_time_5xx_bounces_reach_the_same_rate_check_and_count_as_mailed()
    {
        var ids = await SendAsync(100, sentCount: 97);
        var ledger = new SqlDigestLedger(database);
        await ledger.MarkPlannedAsync(Run, Now, CancellationToken.None);
        foreach (var claim in await ledger.ClaimAsync(Now, TimeSpan.FromMinutes(5), 1000, CancellationToken.None))
            await ledger.FailAsync(claim, "550 5.1.1 user unknown", bounce: true, maxBounces: 1, Now, CancellationToken.None);
        await Recorder().CheckRunAsync(Run, Now, CancellationToken.None);
        // 97 sent and 3 refused were all mailed: 3 of 100.
        Assert.Equal(1, log.Count($"Run {Run}: 3 hard bounces of 100 sent", LogLevel.Warning));
        await Recorder().CheckRunAsync(Run, Now, CancellationToken.None);
        Assert.Equal(1, log.Count("hard bounces", LogLevel.Warning));
        Assert.Equal(100, ids.Count);
    }

    [Fact]
    public async Task An_early_complaint_does_not_warn_before_a_hundred_of_the_runs_deliveries_are_settled()
    {
        var ids = await SendAsync(1000, sentCount: 10);
        var recorder = Recorder();
        // 1 of 10 sent so far would be 10 %; the run is still going out.
        await recorder.RecordAsync(Event("c0", FeedbackKind.Complaint, ids[0]), CancellationToken.None);
        Assert.Equal(0, log.Count("complaint", LogLevel.Warning));
        await using (var connection = await database.OpenAsync(CancellationToken.None))
        await using (var sent = connection.CreateCommand())
        {
            sent.CommandText = "UPDATE deliveries SET status = 'sent'";
            await sent.ExecuteNonQueryAsync();
        }
        await recorder.CheckRunAsync(Run, Now, CancellationToken.None);
        Assert.Equal(0, log.Count("complaint", LogLevel.Warning));
        await recorder.RecordAsync(Event("c1", FeedbackKind.Complaint, ids[1]), CancellationToken.None);
        Assert.Equal(1, log.Count($"Run {Run}: 2 complaints of 1000 sent", LogLevel.Warning));
    }

    [Fact]
    public async Task What_each_report_did_is_logged_and_reports_outside_a_run_never_alert()
    {
        var ids = await SendAsync(10);
        var recorder = Recorder();
        var applied = await recorder.RecordAsync(Event("h0", FeedbackKind.HardBounce, ids[0], run: null), CancellationToken.None);
        // MaxBounces 1: suspended at once.
        Assert.Equal(SubscriberStatus.Bounced, applied.Subscriber!.Status);
        Assert.Equal(1, log.Count($"hard-bounce from imap: subscriber {ids[0]} is bounced", LogLevel.Information));
        Assert.Equal(FeedbackOutcome.Duplicate, (await recorder.RecordAsync(Event("h0", FeedbackKind.HardBounce, ids[0]), CancellationToken.None)).Outcome);
        Assert.Equal(1, log.Count("already acted on"));
        Assert.Equal(FeedbackOutcome.NoSubscriber, (await recorder.RecordAsync(Event("x", FeedbackKind.Complaint, 9999), CancellationToken.None)).Outcome);
        Assert.Equal(1, log.Count("matches no subscriber", LogLevel.Information));
        Assert.Equal(0, log.Count("", LogLevel.Warning));
    }
}

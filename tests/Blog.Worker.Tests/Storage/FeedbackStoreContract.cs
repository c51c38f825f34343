using Blog.Digests;
using Blog.Feedback;
using Blog.MailingList;

namespace Blog.Tests.Storage;

/// <summary>
/// What every feedback store must do, whatever database is under it: each kind of report acts as the rules say, a
/// report is acted on once, and the subscriber is found by signed id (merged ids too), by the Message-ID we sent, or by
/// address, with the run when the report tells it.
/// </summary>
public abstract class FeedbackStoreContract : StoreContract
{
    private static readonly FeedbackRules Rules = new(MaxBounces: 2, MaxSoftBounces: 3, SoftBounceWindow: TimeSpan.FromDays(14));
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(5);

    private async Task<Subscriber> AddAsync(string address, SubscriberStatus status = SubscriberStatus.Active)
    {
        await Store.ImportAsync([TestSubscriptions.Draft(address, status)], Now, null, null, CancellationToken.None);
        return (await Store.FindAsync(EmailAddress.Parse(address), CancellationToken.None))!;
    }

    private Task<FeedbackResult> RecordAsync(string key, FeedbackKind kind, FeedbackTarget target, DateTimeOffset? at = null, string diagnostic = "") =>
        Feedback.RecordAsync(new FeedbackEvent(key, kind, "imap", at ?? Now, target, diagnostic), Rules, CancellationToken.None);

    private async Task<List<SubscriberEvent>> HistoryAsync(long id)
    {
        var events = new List<SubscriberEvent>();
        await foreach (var e in Feedback.HistoryAsync(id, CancellationToken.None)) events.Add(e);
        return events;
    }

    /// <summary>A planned run with one delivery to each of <paramref name="ids"/>, all sent.</summary>
    private async Task SendRunAsync(string run, params long[] ids)
    {
        await Ledger.OpenRunAsync(run, "weekly", Now, CancellationToken.None);
        await Ledger.AddAsync(run, [.. ids.Select(id => new PlannedDelivery(id, ["post-a"], Now, $"digest.{run.Replace('/', '.')}.{id}@blog.test"))], Now, CancellationToken.None);
        await Ledger.MarkPlannedAsync(run, Now, CancellationToken.None);
        foreach (var claimed in await Ledger.ClaimAsync(Now, Lease, 1000, CancellationToken.None))
            await Ledger.CompleteAsync(claimed, Now, CancellationToken.None);
    }

    [Fact]
    public async Task A_hard_bounce_is_recorded_and_counted_and_the_last_allowed_suspends()
    {
        var ann = await AddAsync("ann@example.com");
        var first = await RecordAsync("r1", FeedbackKind.HardBounce, new FeedbackTarget(ann.Id), diagnostic: "smtp; 550 5.1.1 user unknown");
        Assert.Equal(FeedbackOutcome.Applied, first.Outcome);
        Assert.Equal((SubscriberStatus.Active, 1), (first.Subscriber!.Status, first.Subscriber.Bounces));

        var second = await RecordAsync("r2", FeedbackKind.HardBounce, new FeedbackTarget(ann.Id), Now.AddDays(1));
        Assert.Equal((SubscriberStatus.Bounced, 2), (second.Subscriber!.Status, second.Subscriber.Bounces));
        Assert.Equal(second.Subscriber, await Store.FindAsync(ann.Id, CancellationToken.None));
        Assert.Equal(
            [new SubscriberEvent(ann.Id, FeedbackKind.HardBounce, "imap", Now, null, "smtp; 550 5.1.1 user unknown"),
             new SubscriberEvent(ann.Id, FeedbackKind.HardBounce, "imap", Now.AddDays(1), null, "")],
            await HistoryAsync(ann.Id));
    }

    [Fact]
    public async Task Soft_bounces_suspend_only_when_enough_fall_within_the_window()
    {
        var ann = await AddAsync("ann@example.com");
        // Days 0, 10 and 20: never three within 14 days.
        foreach (var day in new[] { 0, 10, 20 })
            Assert.Equal(SubscriberStatus.Active, (await RecordAsync($"s{day}", FeedbackKind.SoftBounce, new FeedbackTarget(ann.Id), Now.AddDays(day))).Subscriber!.Status);
        Assert.Equal(0, (await Store.FindAsync(ann.Id, CancellationToken.None))!.Bounces);
        // Day 21: 10, 20 and 21 are.
        Assert.Equal(SubscriberStatus.Bounced, (await RecordAsync("s21", FeedbackKind.SoftBounce, new FeedbackTarget(ann.Id), Now.AddDays(21))).Subscriber!.Status);
        Assert.Equal(4, (await HistoryAsync(ann.Id)).Count(e => e.Kind == FeedbackKind.SoftBounce));
    }

    [Fact]
    public async Task A_complaint_makes_the_subscriber_complained_at_once_whatever_their_status()
    {
        var ann = await AddAsync("ann@example.com");
        var complained = (await RecordAsync("c1", FeedbackKind.Complaint, new FeedbackTarget(ann.Id), Now.AddHours(1))).Subscriber!;
        Assert.Equal((SubscriberStatus.Complained, Now.AddHours(1)), (complained.Status, complained.UnsubscribedAt));

        // One who had left already: complained now, and the time they left is kept.
        var bob = await AddAsync("bob@example.com");
        await Store.UnsubscribeAsync(bob.Id, Now.AddMinutes(5), CancellationToken.None);
        var left = (await RecordAsync("c2", FeedbackKind.Complaint, new FeedbackTarget(bob.Id), Now.AddDays(3))).Subscriber!;
        Assert.Equal((SubscriberStatus.Complained, Now.AddMinutes(5)), (left.Status, left.UnsubscribedAt));

        var carol = await AddAsync("carol@example.com", SubscriberStatus.Bounced);
        Assert.Equal(SubscriberStatus.Complained, (await RecordAsync("c3", FeedbackKind.Complaint, new FeedbackTarget(carol.Id))).Subscriber!.Status);
        Assert.Equal(3, (await Store.CountAsync(CancellationToken.None)).Complained);
    }

    [Fact]
    public async Task An_unsubscribe_takes_effect_at_once_but_never_softens_a_complaint()
    {
        var ann = await AddAsync("ann@example.com");
        var left = (await RecordAsync("u1", FeedbackKind.Unsubscribe, new FeedbackTarget(ann.Id), Now.AddHours(2))).Subscriber!;
        Assert.Equal((SubscriberStatus.Unsubscribed, Now.AddHours(2)), (left.Status, left.UnsubscribedAt));
        // Already left: the first time stays.
        Assert.Equal(Now.AddHours(2), (await RecordAsync("u2", FeedbackKind.Unsubscribe, new FeedbackTarget(ann.Id), Now.AddDays(1))).Subscriber!.UnsubscribedAt);

        var bob = await AddAsync("bob@example.com");
        await RecordAsync("c1", FeedbackKind.Complaint, new FeedbackTarget(bob.Id));
        var after = await RecordAsync("u3", FeedbackKind.Unsubscribe, new FeedbackTarget(bob.Id), Now.AddDays(1));
        Assert.Equal(FeedbackOutcome.Applied, after.Outcome);
        Assert.Equal((SubscriberStatus.Complained, Now), (after.Subscriber!.Status, after.Subscriber.UnsubscribedAt));
        // Nor does the unsubscribe link.
        Assert.Equal(SubscriberStatus.Complained, (await Store.UnsubscribeAsync(bob.Id, Now.AddDays(2), CancellationToken.None))!.Status);
    }

    [Fact]
    public async Task Events_are_recorded_for_subscribers_in_any_status()
    {
        var pending = await AddAsync("ann@example.com", SubscriberStatus.Pending);
        var bounced = await AddAsync("bob@example.com", SubscriberStatus.Bounced);
        Assert.Equal(SubscriberStatus.Pending, (await RecordAsync("h1", FeedbackKind.HardBounce, new FeedbackTarget(pending.Id))).Subscriber!.Status);
        Assert.Equal(SubscriberStatus.Bounced, (await RecordAsync("s1", FeedbackKind.SoftBounce, new FeedbackTarget(bounced.Id))).Subscriber!.Status);
        Assert.Single(await HistoryAsync(pending.Id));
        Assert.Single(await HistoryAsync(bounced.Id));
    }

    [Fact]
    public async Task A_report_is_acted_on_once_however_often_it_arrives()
    {
        var ann = await AddAsync("ann@example.com");
        await RecordAsync("<dsn-1@relay.example>", FeedbackKind.HardBounce, new FeedbackTarget(ann.Id));
        var again = await RecordAsync("<dsn-1@relay.example>", FeedbackKind.HardBounce, new FeedbackTarget(ann.Id), Now.AddDays(1));
        Assert.Equal(new FeedbackResult(FeedbackOutcome.Duplicate), again);
        Assert.Equal(1, (await Store.FindAsync(ann.Id, CancellationToken.None))!.Bounces);
        Assert.Single(await HistoryAsync(ann.Id));

        // Keys of any length: long ones are kept as their hash, so two that differ only at the end stay two.
        var head = new string('k', 5000);
        Assert.Equal(FeedbackOutcome.Applied, (await RecordAsync(head + "1", FeedbackKind.SoftBounce, new FeedbackTarget(ann.Id))).Outcome);
        Assert.Equal(FeedbackOutcome.Applied, (await RecordAsync(head + "2", FeedbackKind.SoftBounce, new FeedbackTarget(ann.Id))).Outcome);
        Assert.Equal(FeedbackOutcome.Duplicate, (await RecordAsync(head + "1", FeedbackKind.SoftBounce, new FeedbackTarget(ann.Id))).Outcome);
        Assert.True(await Feedback.SeenAsync(head + "2", CancellationToken.None));
        Assert.Equal(3, (await HistoryAsync(ann.Id)).Count);
    }

    [Fact]
    public async Task A_batch_is_recorded_in_one_transaction_each_entry_with_its_outcome_and_a_key_twice_counts_once()
    {
        var ann = await AddAsync("ann@example.com");
        var bob = await AddAsync("bob@example.com");
        FeedbackEntry Bounce(string key, long id) => FeedbackEntry.Record(new FeedbackEvent(key, FeedbackKind.HardBounce, "imap", Now, new FeedbackTarget(id), ""));
        await RecordAsync("before", FeedbackKind.HardBounce, new FeedbackTarget(bob.Id));

        var results = await Feedback.RecordBatchAsync(
            [Bounce("b1", ann.Id), FeedbackEntry.Mark("auto-1", "ignored", Now), Bounce("b1", ann.Id), Bounce("before", bob.Id),
             FeedbackEntry.Mark("auto-1", "ignored", Now), Bounce("b2", 9999)],
            Rules, CancellationToken.None);

        Assert.Equal([FeedbackOutcome.Applied, FeedbackOutcome.Applied, FeedbackOutcome.Duplicate, FeedbackOutcome.Duplicate, FeedbackOutcome.Duplicate,
            FeedbackOutcome.NoSubscriber], results.Select(r => r.Outcome));
        Assert.Equal(1, results[0].Subscriber!.Bounces);
        Assert.Equal(1, (await Store.FindAsync(ann.Id, CancellationToken.None))!.Bounces);
        Assert.Equal(1, (await Store.FindAsync(bob.Id, CancellationToken.None))!.Bounces);
        Assert.True(await Feedback.SeenAsync("auto-1", CancellationToken.None));

        // All or nothing: an entry that fails takes the ones before it in the batch back with it.
        await Assert.ThrowsAnyAsync<ArgumentOutOfRangeException>(() => Feedback.RecordBatchAsync(
            [Bounce("b3", ann.Id), FeedbackEntry.Mark("auto-2", "ignored", Now),
             FeedbackEntry.Record(new FeedbackEvent("b4", (FeedbackKind)99, "imap", Now, new FeedbackTarget(ann.Id), ""))],
            Rules, CancellationToken.None));
        Assert.False(await Feedback.SeenAsync("b3", CancellationToken.None));
        Assert.False(await Feedback.SeenAsync("auto-2", CancellationToken.None));
        Assert.Equal(1, (await Store.FindAsync(ann.Id, CancellationToken.None))!.Bounces);
    }

    [Fact]
    public async Task Concurrent_copies_of_one_report_count_once()
    {
        var ann = await AddAsync("ann@example.com");
        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => RecordAsync("same", FeedbackKind.HardBounce, new FeedbackTarget(ann.Id)))));
        Assert.Single(results, r => r.Outcome == FeedbackOutcome.Applied);
        Assert.Equal(1, (await Store.FindAsync(ann.Id, CancellationToken.None))!.Bounces);
    }

    [Fact]
    public async Task A_report_that_names_nobody_changes_nothing_and_is_remembered()
    {
        var ann = await AddAsync("ann@example.com");
        var target = new FeedbackTarget(9999, MessageId: "<nobody@blog.test>", Address: "stranger@example.com");
        Assert.Equal(new FeedbackResult(FeedbackOutcome.NoSubscriber), await RecordAsync("n1", FeedbackKind.Complaint, target));
        Assert.True(await Feedback.SeenAsync("n1", CancellationToken.None));
        Assert.Equal(FeedbackOutcome.Duplicate, (await RecordAsync("n1", FeedbackKind.Complaint, target)).Outcome);
        Assert.Equal(ann, await Store.FindAsync(ann.Id, CancellationToken.None));

        // A report with no event (an auto-reply) is only remembered.
        Assert.False(await Feedback.SeenAsync("auto-1", CancellationToken.None));
        Assert.True(await Feedback.MarkAsync("auto-1", "ignored", Now, CancellationToken.None));
        Assert.False(await Feedback.MarkAsync("auto-1", "ignored", Now, CancellationToken.None));
        Assert.True(await Feedback.SeenAsync("auto-1", CancellationToken.None));
    }

    [Fact]
    public async Task The_subscriber_is_found_by_signed_id_then_by_our_Message_ID_then_by_address()
    {
        var ann = await AddAsync("ann@example.com");
        var bob = await AddAsync("bob@example.com");
        await SendRunAsync("weekly/2026-03-02", ann.Id, bob.Id);

        // By Message-ID, as a DSN quotes it (angle brackets), which also names the run.
        var byMessage = await RecordAsync("m1", FeedbackKind.SoftBounce, new FeedbackTarget(MessageId: $"<digest.weekly.2026-03-02.{bob.Id}@blog.test>", Address: "ann@example.com"));
        Assert.Equal((bob.Id, "weekly/2026-03-02"), (byMessage.Subscriber!.Id, byMessage.RunKey));

        // By address, whatever its case; no run.
        var byAddress = await RecordAsync("a1", FeedbackKind.SoftBounce, new FeedbackTarget(Address: "ANN@Example.COM"));
        Assert.Equal((ann.Id, (string?)null), (byAddress.Subscriber!.Id, byAddress.RunKey));

        // As a DSN's Final-Recipient writes it.
        var dsnField = await RecordAsync("a2", FeedbackKind.SoftBounce, new FeedbackTarget(Address: "rfc822; <Bob@example.com>"));
        Assert.Equal(bob.Id, dsnField.Subscriber!.Id);

        // The signed id wins over what else the report says; its run ref is matched among that subscriber's runs.
        var signed = await RecordAsync("i1", FeedbackKind.SoftBounce,
            new FeedbackTarget(ann.Id, Address: "bob@example.com") { RunRef = ReturnAddress.RunRef("weekly/2026-03-02") });
        Assert.Equal((ann.Id, "weekly/2026-03-02"), (signed.Subscriber!.Id, signed.RunKey));
        var otherRun = await RecordAsync("i2", FeedbackKind.SoftBounce, new FeedbackTarget(ann.Id) { RunRef = ReturnAddress.RunRef("weekly/1999-01-01") });
        Assert.Equal((ann.Id, (string?)null), (otherRun.Subscriber!.Id, otherRun.RunKey));
        // A Message-ID of someone else's mail does not move a signed report to them, nor give it their run.
        var mixed = await RecordAsync("i3", FeedbackKind.SoftBounce, new FeedbackTarget(ann.Id, MessageId: $"digest.weekly.2026-03-02.{bob.Id}@blog.test"));
        Assert.Equal((ann.Id, (string?)null), (mixed.Subscriber!.Id, mixed.RunKey));
        // A run named outright counts only if they were sent it.
        var named = await RecordAsync("i4", FeedbackKind.SoftBounce, new FeedbackTarget(ann.Id, RunKey: "weekly/2026-03-02"));
        Assert.Equal("weekly/2026-03-02", named.RunKey);
        Assert.Null((await RecordAsync("i5", FeedbackKind.SoftBounce, new FeedbackTarget(ann.Id, RunKey: "weekly/made-up"))).RunKey);
    }

    [Fact]
    public async Task A_Message_ID_that_matches_no_mail_names_nobody_even_with_an_address()
    {
        var ann = await AddAsync("ann@example.com");
        // A forger writes both: a made-up id and the victim's address. The id decides, and it matches nothing.
        var forged = new FeedbackTarget(MessageId: "<digest.weekly.2026-03-02.1@blog.test>", Address: "ann@example.com") { Trusted = true };
        Assert.Equal(new FeedbackResult(FeedbackOutcome.NoSubscriber), await RecordAsync("f1", FeedbackKind.Complaint, forged));
        Assert.Equal(new FeedbackResult(FeedbackOutcome.NoSubscriber), await RecordAsync("f2", FeedbackKind.HardBounce, forged));
        Assert.Equal(ann, await Store.FindAsync(ann.Id, CancellationToken.None));
        Assert.Empty(await HistoryAsync(ann.Id));
    }

    [Fact]
    public async Task A_complaint_through_an_untrusted_Message_ID_or_an_address_only_unsubscribes()
    {
        var ann = await AddAsync("ann@example.com");
        var bob = await AddAsync("bob@example.com");
        var carol = await AddAsync("carol@example.com");
        await SendRunAsync("weekly/2026-03-02", ann.Id, bob.Id, carol.Id);

        // A legacy (untagged, guessable) id: off the list, but not final.
        var legacy = await RecordAsync("c1", FeedbackKind.Complaint, new FeedbackTarget(MessageId: $"<digest.weekly.2026-03-02.{ann.Id}@blog.test>"), Now.AddHours(1));
        Assert.Equal((SubscriberStatus.Unsubscribed, Now.AddHours(1)), (legacy.Subscriber!.Status, legacy.Subscriber.UnsubscribedAt));
        Assert.Equal(FeedbackKind.Unsubscribe, (await HistoryAsync(ann.Id)).Single().Kind);

        // An address alone: the same.
        var byAddress = await RecordAsync("c2", FeedbackKind.Complaint, new FeedbackTarget(Address: "bob@example.com"));
        Assert.Equal(SubscriberStatus.Unsubscribed, byAddress.Subscriber!.Status);
        Assert.Equal(FeedbackKind.Unsubscribe, (await HistoryAsync(bob.Id)).Single().Kind);

        // A Message-ID the caller checked (minted by us): final.
        var trusted = await RecordAsync("c3", FeedbackKind.Complaint,
            new FeedbackTarget(MessageId: $"digest.weekly.2026-03-02.{carol.Id}@blog.test") { Trusted = true });
        Assert.Equal(SubscriberStatus.Complained, trusted.Subscriber!.Status);
        Assert.Equal(FeedbackKind.Complaint, (await HistoryAsync(carol.Id)).Single().Kind);
    }

    [Fact]
    public async Task One_bounce_reported_twice_for_a_run_counts_once_toward_the_limits_but_is_recorded_each_time()
    {
        var ann = await AddAsync("ann@example.com");
        var bob = await AddAsync("bob@example.com");
        await SendRunAsync("weekly/2026-03-02", ann.Id, bob.Id);
        var run = new FeedbackTarget(RunKey: "weekly/2026-03-02");

        // The provider's webhook and the relay's DSN, under two keys: one bounce of MaxBounces 2.
        await RecordAsync("ses:h1", FeedbackKind.HardBounce, run with { SubscriberId = ann.Id });
        var again = await RecordAsync("<dsn-h1@relay.example>", FeedbackKind.HardBounce, run with { SubscriberId = ann.Id });
        Assert.Equal((SubscriberStatus.Active, 1), (again.Subscriber!.Status, again.Subscriber.Bounces));
        Assert.Equal(2, (await HistoryAsync(ann.Id)).Count);
        // Without a run nothing tells two bounces apart: each counts.
        Assert.Equal(SubscriberStatus.Bounced, (await RecordAsync("h-norun", FeedbackKind.HardBounce, new FeedbackTarget(ann.Id))).Subscriber!.Status);

        // Three copies of one soft bounce within the window: one of MaxSoftBounces 3.
        foreach (var key in new[] { "ses:s1", "<dsn-s1@relay.example>", "mailgun:s1" })
            Assert.Equal(SubscriberStatus.Active, (await RecordAsync(key, FeedbackKind.SoftBounce, run with { SubscriberId = bob.Id })).Subscriber!.Status);
        Assert.Equal(3, (await HistoryAsync(bob.Id)).Count);
        await RecordAsync("s-norun-1", FeedbackKind.SoftBounce, new FeedbackTarget(bob.Id));
        Assert.Equal(SubscriberStatus.Bounced, (await RecordAsync("s-norun-2", FeedbackKind.SoftBounce, new FeedbackTarget(bob.Id))).Subscriber!.Status);
    }

    [Fact]
    public async Task An_id_merged_into_another_reaches_the_kept_subscriber_and_its_history()
    {
        var ann = await AddAsync("ann@example.com");
        await using (var connection = await Database.OpenAsync(CancellationToken.None))
        await using (var merge = connection.CreateCommand())
        {
            merge.CommandText = $"INSERT INTO subscriber_merges (id, into_id) VALUES (777, {ann.Id})";
            await merge.ExecuteNonQueryAsync();
        }
        var result = await RecordAsync("m1", FeedbackKind.Complaint, new FeedbackTarget(777));
        Assert.Equal((ann.Id, SubscriberStatus.Complained), (result.Subscriber!.Id, result.Subscriber.Status));
        Assert.Single(await HistoryAsync(777));
    }

    [Fact]
    public async Task At_most_a_hundred_events_of_a_kind_are_kept_per_subscriber_the_newest()
    {
        // A hostile sender can mail us any number of bounces naming one subscriber: their history must stay bounded.
        var ann = await AddAsync("ann@example.com");
        for (var i = 0; i < 105; i++)
            await RecordAsync($"s{i}", FeedbackKind.SoftBounce, new FeedbackTarget(ann.Id), Now.AddMinutes(i));
        await RecordAsync("c0", FeedbackKind.Complaint, new FeedbackTarget(ann.Id) { Trusted = true }, Now.AddHours(3));
        var history = await HistoryAsync(ann.Id);
        Assert.Equal(100, history.Count(e => e.Kind == FeedbackKind.SoftBounce));
        Assert.Equal(Now.AddMinutes(5), history.Where(e => e.Kind == FeedbackKind.SoftBounce).Min(e => e.At));
        Assert.Single(history, e => e.Kind == FeedbackKind.Complaint);
        // Every report is still remembered: none is acted on twice.
        Assert.Equal(FeedbackOutcome.Duplicate, (await RecordAsync("s0", FeedbackKind.SoftBounce, new FeedbackTarget(ann.Id), Now)).Outcome);
    }

    [Fact]
    public async Task A_runs_feedback_counts_its_sent_mail_and_the_recipients_each_kind_came_back_for()
    {
        var ids = new List<long>();
        for (var i = 0; i < 5; i++) ids.Add((await AddAsync($"reader{i}@example.com")).Id);
        await SendRunAsync("weekly/2026-03-02", [.. ids]);
        var run = new FeedbackTarget(RunKey: "weekly/2026-03-02");
        await RecordAsync("h1", FeedbackKind.HardBounce, run with { SubscriberId = ids[0] });
        // The same bounce from the relay's mail and from its webhook: one recipient.
        await RecordAsync("h1-hook", FeedbackKind.HardBounce, run with { SubscriberId = ids[0] });
        await RecordAsync("h2", FeedbackKind.HardBounce, run with { SubscriberId = ids[1] });
        await RecordAsync("s1", FeedbackKind.SoftBounce, run with { SubscriberId = ids[2] });
        await RecordAsync("c1", FeedbackKind.Complaint, run with { SubscriberId = ids[3] });
        await RecordAsync("x1", FeedbackKind.Complaint, new FeedbackTarget(ids[4]));

        Assert.Equal(new RunFeedback("weekly/2026-03-02", 5, 2, 1, 1), await Feedback.RunFeedbackAsync("weekly/2026-03-02", CancellationToken.None));
        Assert.Equal(new RunFeedback("weekly/none", 0, 0, 0, 0), await Feedback.RunFeedbackAsync("weekly/none", CancellationToken.None));
    }

    [Fact]
    public async Task What_a_reporter_said_is_kept_bounded_and_without_control_characters()
    {
        var ann = await AddAsync("ann@example.com");
        await RecordAsync("d1", FeedbackKind.HardBounce, new FeedbackTarget(ann.Id), diagnostic: "550 \u001b[31mred\r\n" + new string('x', 100_000));
        var kept = (await HistoryAsync(ann.Id)).Single().Diagnostic;
        Assert.Equal(1000, kept.Length);
        Assert.StartsWith("550  [31mred  xxx", kept, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Forgetting_a_subscriber_erases_their_history()
    {
        var ann = await AddAsync("ann@example.com");
        await RecordAsync("h1", FeedbackKind.HardBounce, new FeedbackTarget(ann.Id));
        Assert.True(await Store.ForgetAsync(EmailAddress.Parse("ann@example.com"), CancellationToken.None));
        Assert.Empty(await HistoryAsync(ann.Id));
    }

    [Fact]
    public async Task After_forgetting_no_report_key_names_the_address()
    {
        var ann = await AddAsync("ann@example.com");
        // Webhook keys carry the recipient, as SendGrid's do; short and long alike are kept only as hashes.
        await RecordAsync("sendgrid:evt-1:ann@example.com", FeedbackKind.HardBounce, new FeedbackTarget(ann.Id));
        await RecordAsync("sendgrid:" + new string('x', 300) + ":ann@example.com", FeedbackKind.SoftBounce, new FeedbackTarget(ann.Id));
        await Feedback.MarkAsync("ignored:ann@example.com", "ignored", Now, CancellationToken.None);
        Assert.True(await Store.ForgetAsync(EmailAddress.Parse("ann@example.com"), CancellationToken.None));
        Assert.Equal(0L, await CountAsync("SELECT COUNT(*) FROM feedback_reports WHERE key LIKE '%ann%'"));
        Assert.Equal(0L, await CountAsync("SELECT COUNT(*) FROM subscriber_events WHERE event_key LIKE '%ann%' OR diagnostic LIKE '%ann%' OR source LIKE '%ann%'"));
        // Still acted on once.
        Assert.Equal(FeedbackOutcome.Duplicate, (await RecordAsync("sendgrid:evt-1:ann@example.com", FeedbackKind.HardBounce, new FeedbackTarget(ann.Id))).Outcome);
        Assert.True(await Feedback.SeenAsync("ignored:ann@example.com", CancellationToken.None));
    }

    private async Task<long> CountAsync(string sql)
    {
        await using var connection = await Database.OpenAsync(CancellationToken.None);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }
}

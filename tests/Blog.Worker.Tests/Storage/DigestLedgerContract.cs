using Blog.Digests;
using Blog.MailingList;

namespace Blog.Tests.Storage;

/// <summary>
/// What every send ledger must do: nothing is claimed before its run is planned, concurrent senders (threads here,
/// nodes in a cluster) never get the same delivery, a lease that runs out frees it, and the watermark only moves
/// forward with a sent delivery.
/// </summary>
public abstract class DigestLedgerContract : StoreContract
{
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(5);

    private async Task<IReadOnlyList<long>> PlanAsync(string run, int subscribers, bool finish = true)
    {
        await Store.ImportAsync([.. Enumerable.Range(0, subscribers).Select(i => TestSubscriptions.Draft($"reader{i:D4}@example.com", SubscriberStatus.Active))],
            Now, null, null, CancellationToken.None);
        var ids = new List<long>();
        await foreach (var s in Store.ListAsync(CancellationToken.None)) ids.Add(s.Id);
        Assert.Equal(RunOpening.Created, await Ledger.OpenRunAsync(run, "weekly", Now, CancellationToken.None));
        Assert.Equal(RunOpening.Unplanned, await Ledger.OpenRunAsync(run, "weekly", Now, CancellationToken.None));
        await Ledger.AddAsync(run, [.. ids.Select(id => new PlannedDelivery(id, ["post-a"], Now.AddDays(-1), $"{run}.{id}@test"))], Now, CancellationToken.None);
        if (finish)
        {
            await Ledger.MarkPlannedAsync(run, Now, CancellationToken.None);
            Assert.Equal(RunOpening.Planned, await Ledger.OpenRunAsync(run, "weekly", Now, CancellationToken.None));
        }
        return ids;
    }

    [Fact]
    public async Task Nothing_is_claimed_before_the_run_is_planned_and_planning_again_adds_nothing()
    {
        var ids = await PlanAsync("weekly/2026-03-02", 5, finish: false);
        Assert.Empty(await Ledger.ClaimAsync(Now, Lease, 10, CancellationToken.None));
        Assert.Equal([("weekly/2026-03-02", "weekly")], await Ledger.UnplannedAsync(CancellationToken.None));
        await Ledger.AddAsync("weekly/2026-03-02", [new PlannedDelivery(ids[0], ["post-b"], Now, "other@test")], Now, CancellationToken.None);
        await Ledger.MarkPlannedAsync("weekly/2026-03-02", Now, CancellationToken.None);
        var claimed = await Ledger.ClaimAsync(Now, Lease, 10, CancellationToken.None);
        Assert.Equal(5, claimed.Count);
        Assert.Equal<string>(["post-a"], claimed.Single(c => c.Subscriber.Id == ids[0]).PostIds);
    }

    [Fact]
    public async Task A_subscriber_whose_digest_is_still_pending_in_an_earlier_run_is_skipped_by_the_next()
    {
        // Run A's delivery to the first subscriber is deferred (a 4xx), so their watermark has not moved; run B,
        // planned meanwhile, would mail them the same posts again.
        var ids = await PlanAsync("weekly/2026-03-02", 2);
        var claimed = (await Ledger.ClaimAsync(Now, Lease, 10, CancellationToken.None)).OrderBy(d => d.Subscriber.Id).ToList();
        await Ledger.RetryAsync(claimed[0], Now.AddMinutes(1), "451 try later", CancellationToken.None);
        await Ledger.CompleteAsync(claimed[1], Now, CancellationToken.None);

        Assert.Equal(RunOpening.Created, await Ledger.OpenRunAsync("weekly/2026-03-09", "weekly", Now, CancellationToken.None));
        // Each planned from the watermark it had then: the second subscriber's had moved with run A's digest.
        await Ledger.AddAsync("weekly/2026-03-09", [.. ids.Select(id => new PlannedDelivery(id, ["post-b"], Now, $"b.{id}@test")
            { PlannedAfter = id == ids[1] ? Now.AddDays(-1) : null })], Now, CancellationToken.None);
        await Ledger.MarkPlannedAsync("weekly/2026-03-09", Now, CancellationToken.None);

        var due = await Ledger.ClaimAsync(Now.AddMinutes(1), Lease, 10, CancellationToken.None);
        Assert.Equal([("weekly/2026-03-02", ids[0]), ("weekly/2026-03-09", ids[1])],
            due.Select(d => (d.RunKey, d.Subscriber.Id)).OrderBy(d => d.Item2));
        var b = (await Ledger.RunsAsync(10, CancellationToken.None)).Single(r => r.Key == "weekly/2026-03-09");
        Assert.Equal((0, 1, 0, 1), (b.Sent, b.Skipped, b.Failed, b.Pending));
    }

    [Fact]
    public async Task Concurrent_claimers_never_get_the_same_delivery()
    {
        await PlanAsync("weekly/2026-03-02", 300);
        var claims = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(async () =>
        {
            var mine = new List<long>();
            while (true)
            {
                var batch = await Ledger.ClaimAsync(Now, Lease, 9, CancellationToken.None);
                if (batch.Count == 0) return mine;
                mine.AddRange(batch.Select(d => d.Subscriber.Id));
            }
        })));
        var all = claims.SelectMany(c => c).ToList();
        Assert.Equal(300, all.Count);
        Assert.Equal(300, all.Distinct().Count());
    }

    [Fact]
    public async Task A_lease_that_runs_out_frees_the_delivery_and_a_sent_one_is_never_claimed_again()
    {
        await PlanAsync("weekly/2026-03-02", 3);
        var first = await Ledger.ClaimAsync(Now, Lease, 10, CancellationToken.None);
        Assert.Equal(3, first.Count);
        Assert.Empty(await Ledger.ClaimAsync(Now.AddMinutes(4), Lease, 10, CancellationToken.None));
        await Ledger.CompleteAsync(first[0], Now, CancellationToken.None);
        // The other two's sender died: after the lease another takes them.
        var again = await Ledger.ClaimAsync(Now.Add(Lease), Lease, 10, CancellationToken.None);
        Assert.Equal(first.Skip(1).Select(d => d.Subscriber.Id).Order(), again.Select(d => d.Subscriber.Id).Order());
    }

    [Fact]
    public async Task Each_outcome_is_counted_and_the_watermark_moves_only_forward_with_a_sent_delivery()
    {
        var ids = await PlanAsync("weekly/2026-03-02", 4);
        var claimed = (await Ledger.ClaimAsync(Now, Lease, 10, CancellationToken.None)).OrderBy(d => d.Subscriber.Id).ToList();
        await Ledger.CompleteAsync(claimed[0], Now, CancellationToken.None);
        await Ledger.SkipAsync(claimed[1], "the subscriber is unsubscribed", Now, CancellationToken.None);
        await Ledger.FailAsync(claimed[2], "550 no such user", bounce: true, maxBounces: 1, Now, CancellationToken.None);
        var run = Assert.Single(await Ledger.RunsAsync(10, CancellationToken.None));
        Assert.Equal(("weekly/2026-03-02", 1, 1, 1, 1), (run.Key, run.Sent, run.Skipped, run.Failed, run.Pending));
        Assert.Equal(Now.AddDays(-1), (await Store.FindAsync(ids[0], CancellationToken.None))!.Watermark);
        Assert.Null((await Store.FindAsync(ids[1], CancellationToken.None))!.Watermark);
        Assert.Equal(SubscriberStatus.Bounced, (await Store.FindAsync(ids[2], CancellationToken.None))!.Status);

        // An older run settled late does not move the watermark back.
        await Ledger.OpenRunAsync("weekly/2026-02-23", "weekly", Now, CancellationToken.None);
        await Ledger.AddAsync("weekly/2026-02-23", [new PlannedDelivery(ids[0], ["old"], Now.AddDays(-8), "old@test") { PlannedAfter = Now.AddDays(-1) }],
            Now, CancellationToken.None);
        await Ledger.MarkPlannedAsync("weekly/2026-02-23", Now, CancellationToken.None);
        var old = Assert.Single(await Ledger.ClaimAsync(Now, Lease, 10, CancellationToken.None), d => d.RunKey == "weekly/2026-02-23");
        await Ledger.CompleteAsync(old, Now, CancellationToken.None);
        Assert.Equal(Now.AddDays(-1), (await Store.FindAsync(ids[0], CancellationToken.None))!.Watermark);

        Assert.Equal(1, await Ledger.RetryFailedAsync("weekly/2026-03-02", Now, CancellationToken.None));
        Assert.Null(await Ledger.RetryFailedAsync("weekly/1999-01-01", Now, CancellationToken.None));
    }

    [Fact]
    public async Task A_bounce_at_send_time_is_an_event_in_the_subscribers_history_and_the_runs_counts()
    {
        var ids = await PlanAsync("weekly/2026-03-02", 2);
        var claimed = (await Ledger.ClaimAsync(Now, Lease, 10, CancellationToken.None)).OrderBy(d => d.Subscriber.Id).ToList();
        await Ledger.FailAsync(claimed[0], "550 5.1.1 no such user", bounce: true, maxBounces: 2, Now, CancellationToken.None);
        // A failure that is not a bounce is no event.
        await Ledger.FailAsync(claimed[1], "gave up after 4xx", bounce: false, maxBounces: 2, Now, CancellationToken.None);

        Assert.Equal([new Blog.Feedback.SubscriberEvent(ids[0], Blog.Feedback.FeedbackKind.HardBounce, "smtp", Now, "weekly/2026-03-02", "550 5.1.1 no such user")],
            await HistoryAsync(ids[0]));
        Assert.Empty(await HistoryAsync(ids[1]));
        Assert.Equal((SubscriberStatus.Active, 1), await StatusAsync(ids[0]));
        Assert.Equal(1, (await Feedback.RunFeedbackAsync("weekly/2026-03-02", CancellationToken.None)).HardBounces);

        // Retried and refused again: counted again, as before, and the limit suspends.
        Assert.Equal(2, await Ledger.RetryFailedAsync("weekly/2026-03-02", Now.AddMinutes(1), CancellationToken.None));
        var again = (await Ledger.ClaimAsync(Now.AddMinutes(1), Lease, 10, CancellationToken.None)).Single(d => d.Subscriber.Id == ids[0]);
        await Ledger.FailAsync(again, "550 5.1.1 no such user", bounce: true, maxBounces: 2, Now.AddMinutes(1), CancellationToken.None);
        Assert.Equal((SubscriberStatus.Bounced, 2), await StatusAsync(ids[0]));
        Assert.Equal(2, (await HistoryAsync(ids[0])).Count);
    }

    [Fact]
    public async Task The_limit_picks_the_newest_runs_and_counts_exactly_their_deliveries()
    {
        await Store.ImportAsync([.. Enumerable.Range(0, 4).Select(i => TestSubscriptions.Draft($"limit{i}@example.com", SubscriberStatus.Active))],
            Now, null, null, CancellationToken.None);
        var ids = new List<long>();
        await foreach (var s in Store.ListAsync(CancellationToken.None)) ids.Add(s.Id);
        // Four runs, oldest first, each with a different number of deliveries; the two newest share a creation time,
        // so the key breaks the tie. The newest has none at all.
        (string Key, DateTimeOffset At, int Deliveries)[] runs =
            [("weekly/a", Now.AddDays(-3), 4), ("weekly/b", Now.AddDays(-2), 3), ("weekly/c", Now.AddDays(-1), 2), ("weekly/d", Now.AddDays(-1), 0)];
        foreach (var (key, at, count) in runs)
        {
            await Ledger.OpenRunAsync(key, "weekly", at, CancellationToken.None);
            await Ledger.AddAsync(key, [.. ids.Take(count).Select(id => new PlannedDelivery(id, ["post-a"], at, $"{key}.{id}@test"))], at, CancellationToken.None);
            await Ledger.MarkPlannedAsync(key, at, CancellationToken.None);
        }

        var newest = await Ledger.RunsAsync(3, CancellationToken.None);
        // (A later run's deliveries to someone still pending in an earlier one are skipped: they count all the same.)
        Assert.Equal([("weekly/d", 0), ("weekly/c", 2), ("weekly/b", 3)], newest.Select(r => (r.Key, r.Deliveries)));
        Assert.All(newest, r => Assert.Equal((0, 0), (r.Sent, r.Failed)));
        Assert.Equal(["weekly/d"], (await Ledger.RunsAsync(1, CancellationToken.None)).Select(r => r.Key));
        Assert.Equal(4, (await Ledger.RunsAsync(10, CancellationToken.None)).Single(r => r.Key == "weekly/a").Deliveries);
    }

    private async Task<(SubscriberStatus, int)> StatusAsync(long id)
    {
        var subscriber = (await Store.FindAsync(id, CancellationToken.None))!;
        return (subscriber.Status, subscriber.Bounces);
    }

    private async Task<List<Blog.Feedback.SubscriberEvent>> HistoryAsync(long id)
    {
        var events = new List<Blog.Feedback.SubscriberEvent>();
        await foreach (var e in Feedback.HistoryAsync(id, CancellationToken.None)) events.Add(e);
        return events;
    }

    [Fact]
    public async Task A_delivery_whose_subscriber_was_sent_a_digest_while_it_was_planned_is_skipped_not_sent_again()
    {
        var ids = await PlanAsync("weekly/2026-03-02", 2);
        // The planner of a second run read both subscribers (no watermark yet) and chose post-a for them; meanwhile
        // the first run's digest to ids[0] was sent.
        var first = (await Ledger.ClaimAsync(Now, Lease, 10, CancellationToken.None)).Single(d => d.Subscriber.Id == ids[0]);
        await Ledger.CompleteAsync(first, Now, CancellationToken.None);
        await Ledger.OpenRunAsync("daily/2026-03-02T08:00:00Z", "weekly", Now, CancellationToken.None);
        await Ledger.AddAsync("daily/2026-03-02T08:00:00Z", [.. ids.Select(id => new PlannedDelivery(id, ["post-a"], Now.AddDays(-1), $"again.{id}@test"))],
            Now, CancellationToken.None);
        var run = (await Ledger.RunsAsync(10, CancellationToken.None)).Single(r => r.Key == "daily/2026-03-02T08:00:00Z");
        // ids[0]: its watermark moved; ids[1]: its first digest is still pending. Neither gets post-a twice.
        Assert.Equal((0, 2), (run.Pending, run.Skipped));

        // Planned from the watermark as it now is, a delivery goes ahead.
        await Ledger.OpenRunAsync("daily/2026-03-03T08:00:00Z", "weekly", Now, CancellationToken.None);
        await Ledger.AddAsync("daily/2026-03-03T08:00:00Z", [new PlannedDelivery(ids[0], ["post-b"], Now, "b@test") { PlannedAfter = Now.AddDays(-1) }],
            Now, CancellationToken.None);
        Assert.Equal(1, (await Ledger.RunsAsync(10, CancellationToken.None)).Single(r => r.Key == "daily/2026-03-03T08:00:00Z").Pending);
    }
}

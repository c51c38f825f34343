using Blog.Digests;
using Blog.MailingList;
using Blog.Posts;
using Blog.Storage;

namespace Blog.Tests.Storage;

/// <summary>
/// What the console reads of past runs: the failed deliveries with the server's words, page by page; when posts were
/// first seen, without recording anything; and which runs mailed a post, by its exact id.
/// </summary>
public abstract class RunHistoryContract : StoreContract
{
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(5);

    private SqlRunHistory History => new(Database);

    private async Task<IReadOnlyList<long>> SubscribersAsync(int count)
    {
        await Store.ImportAsync([.. Enumerable.Range(0, count).Select(i => TestSubscriptions.Draft($"reader{i:D4}@example.com", SubscriberStatus.Active))],
            Now, null, null, CancellationToken.None);
        var ids = new List<long>();
        await foreach (var s in Store.ListAsync(CancellationToken.None)) ids.Add(s.Id);
        return ids;
    }

    /// <summary>A planned run whose deliveries list <paramref name="posts"/>, all claimed; the caller settles them.</summary>
    /// <param name="after">The subscribers' watermark now (the ledger skips a delivery planned on an old one).</param>
    private async Task<List<ClaimedDelivery>> RunAsync(string run, DateTimeOffset at, IEnumerable<long> ids, DateTimeOffset? after, params string[] posts)
    {
        Assert.Equal(RunOpening.Created, await Ledger.OpenRunAsync(run, "weekly", at, CancellationToken.None));
        await Ledger.AddAsync(run, [.. ids.Select(id => new PlannedDelivery(id, [.. posts], at, $"{run}.{id}@test") { PlannedAfter = after })], at, CancellationToken.None);
        await Ledger.MarkPlannedAsync(run, at, CancellationToken.None);
        return [.. (await Ledger.ClaimAsync(at, Lease, 1000, CancellationToken.None)).Where(c => c.RunKey == run).OrderBy(c => c.Subscriber.Id)];
    }

    [Fact]
    public async Task Failed_deliveries_come_page_by_page_in_subscriber_order_with_the_servers_words()
    {
        var ids = await SubscribersAsync(5);
        var claimed = await RunAsync("weekly/2026-03-02T08:00:00Z", Now, ids, null, "post-a");
        foreach (var (claim, i) in claimed.Select((c, i) => (c, i)))
        {
            if (i % 2 == 0) await Ledger.FailAsync(claim, $"550 5.1.1 no such user {i}", bounce: false, 3, Now, CancellationToken.None);
            else await Ledger.CompleteAsync(claim, Now, CancellationToken.None);
        }

        var first = await History.FailedAsync("weekly/2026-03-02T08:00:00Z", 0, 2, CancellationToken.None);
        Assert.Equal([(ids[0], "reader0000@example.com", 1, "550 5.1.1 no such user 0"), (ids[2], "reader0002@example.com", 1, "550 5.1.1 no such user 2")],
            first.Select(f => (f.SubscriberId, f.Address, f.Attempts, f.LastError)));
        var second = await History.FailedAsync("weekly/2026-03-02T08:00:00Z", first[^1].SubscriberId, 2, CancellationToken.None);
        Assert.Equal([ids[4]], second.Select(f => f.SubscriberId));
        Assert.Empty(await History.FailedAsync("weekly/2026-03-02T08:00:00Z", ids[4], 2, CancellationToken.None));
        Assert.Empty(await History.FailedAsync("weekly/other", 0, 2, CancellationToken.None));

        var header = await History.FindAsync("weekly/2026-03-02T08:00:00Z", CancellationToken.None);
        Assert.Equal(("weekly", Now, (DateTimeOffset?)Now), (header!.Cadence, header.CreatedAt, header.PlannedAt));
        Assert.Null(await History.FindAsync("weekly/none", CancellationToken.None));
    }

    [Fact]
    public async Task The_runs_that_carried_a_post_are_those_that_sent_its_exact_id_within_the_bound()
    {
        var ids = await SubscribersAsync(2);
        foreach (var claim in await RunAsync("daily/a", Now, ids, null, "tag:x,2026:post_a", "post-b"))
            await Ledger.CompleteAsync(claim, Now, CancellationToken.None);
        // Planned with the post but never sent: it did not mail it.
        var failed = await RunAsync("daily/b", Now.AddDays(1), ids, Now, "tag:x,2026:post_a");
        foreach (var claim in failed) await Ledger.FailAsync(claim, "550 no", bounce: false, 3, Now.AddDays(1), CancellationToken.None);
        foreach (var claim in await RunAsync("daily/c", Now.AddDays(2), ids, Now, "post-b", "tag:x,2026:post_a"))
            await Ledger.CompleteAsync(claim, Now.AddDays(2), CancellationToken.None);

        Assert.Equal(["daily/a", "daily/c"], await History.CarriedByAsync("tag:x,2026:post_a", Now.AddDays(-1), 10, CancellationToken.None));
        Assert.Equal(["daily/a", "daily/c"], await History.CarriedByAsync("post-b", Now, 10, CancellationToken.None));
        // Only runs opened since the post was first seen, and at most so many of them.
        Assert.Equal(["daily/c"], await History.CarriedByAsync("post-b", Now.AddHours(1), 10, CancellationToken.None));
        Assert.Equal(["daily/a"], await History.CarriedByAsync("post-b", Now, 2, CancellationToken.None));
        // An id is matched whole and exactly: no wildcard, no other case, no part of another id.
        Assert.Empty(await History.CarriedByAsync("tag:x,2026:post%", Now, 10, CancellationToken.None));
        Assert.Empty(await History.CarriedByAsync("tag:x,2026:postXa", Now, 10, CancellationToken.None));
        Assert.Empty(await History.CarriedByAsync("POST-B", Now, 10, CancellationToken.None));
        Assert.Empty(await History.CarriedByAsync("post", Now, 10, CancellationToken.None));
    }

    [Fact]
    public async Task First_seen_times_are_read_without_recording_anything()
    {
        Assert.Empty(await History.FirstSeenAsync(CancellationToken.None));
        Post post = new("/posts/a.md", "a", "tag:blog.example.com,2026-02-01:a", "A", Now.AddDays(-1), Now.AddDays(-1), null, [], false);
        await Publications.ObserveAsync([post], Now, TimeSpan.FromMinutes(30), CancellationToken.None);
        var seen = await History.FirstSeenAsync(CancellationToken.None);
        Assert.Equal(Now.AddDays(-1), seen[PublicPost.LogKey(post)]);
        Assert.Single(seen);
    }
}

public sealed class SqliteRunHistoryTests : RunHistoryContract
{
    protected override Task<StoreUnderTest> CreateAsync() => SqliteStores.CreateAsync();
}

[Collection(SharedPostgres.Name)]
public sealed class PostgresRunHistoryTests(PostgresServer server) : RunHistoryContract
{
    protected override Task<StoreUnderTest> CreateAsync() => PostgresStores.CreateAsync(server);
}

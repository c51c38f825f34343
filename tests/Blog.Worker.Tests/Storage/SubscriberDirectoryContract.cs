using Blog.Digests;
using Blog.Feedback;
using Blog.MailingList;
using Blog.Storage;

namespace Blog.Tests.Storage;

/// <summary>
/// What the owner's search must do on every database: each condition alone and together, a fragment taken literally
/// and in any case, keyset pages forward and back that neither repeat nor skip anyone, a scan that stops at its limit
/// and says where, and a subscriber's deliveries newest first.
/// </summary>
public abstract class SubscriberDirectoryContract : StoreContract
{
    private SqlSubscriberDirectory Directory => new(Database);

    private async Task<Subscriber> AddAsync(string address, SubscriberStatus status = SubscriberStatus.Active, string cadence = "weekly", params string[] tags)
    {
        await Store.ImportAsync([TestSubscriptions.Draft(address, status, cadence, tags)], Now, null, null, CancellationToken.None);
        return (await Store.FindAsync(EmailAddress.Parse(address), CancellationToken.None))!;
    }

    private async Task<List<string>> AddressesAsync(SubscriberSearch search) =>
        [.. (await Directory.SearchAsync(search, CancellationToken.None)).Rows.Select(r => r.Subscriber.Address)];

    /// <summary>Rows straight into the table, as many as a test needs, numbered from <paramref name="first"/>.</summary>
    protected async Task SeedAsync(int first, int count, string prefix)
    {
        await using var connection = await Database.OpenAsync(CancellationToken.None);
        await using var command = connection.Command(
            $"""
            WITH RECURSIVE n(i) AS (SELECT {first} UNION ALL SELECT i + 1 FROM n WHERE i < {first + count - 1})
            INSERT INTO subscribers (address, address_key, status, tags, cadence, created_at)
            SELECT '{prefix}' || i || '@example.com', '{prefix}' || i || '@example.com', 'active', '', 'weekly', 0 FROM n
            """);
        await command.ExecuteNonQueryAsync();
    }

    [Fact]
    public async Task A_fragment_matches_anywhere_in_the_address_in_any_case()
    {
        await AddAsync("Ann.Lee@Example.com"); // the domain is kept lower-cased
        await AddAsync("bob@example.org");
        await AddAsync("carol@annex.net");

        Assert.Equal(["Ann.Lee@example.com", "carol@annex.net"], await AddressesAsync(new SubscriberSearch(Fragment: "ANN")));
        Assert.Equal(["bob@example.org"], await AddressesAsync(new SubscriberSearch(Fragment: "B@EXAMPLE.O")));
        Assert.Empty(await AddressesAsync(new SubscriberSearch(Fragment: "zed")));
    }

    [Fact]
    public async Task Like_wildcards_in_a_fragment_or_tag_are_taken_literally()
    {
        await AddAsync("a_b@example.com");
        await AddAsync("axb@example.com");
        await AddAsync("100%sure@example.com");
        await AddAsync("1000sure@example.com");

        Assert.Equal(["a_b@example.com"], await AddressesAsync(new SubscriberSearch(Fragment: "a_b")));
        Assert.Equal(["100%sure@example.com"], await AddressesAsync(new SubscriberSearch(Fragment: "0%s")));
        Assert.Equal(["100%sure@example.com"], await AddressesAsync(new SubscriberSearch(Fragment: "%")));
        Assert.Empty(await AddressesAsync(new SubscriberSearch(Fragment: "\\")));
        Assert.Empty(await AddressesAsync(new SubscriberSearch(Tag: "%")));
        Assert.Empty(await AddressesAsync(new SubscriberSearch(Tag: "_")));
    }

    [Fact]
    public async Task Status_cadence_and_tag_each_filter_and_combine()
    {
        await AddAsync("a@example.com", SubscriberStatus.Active, "weekly", "go", "rust");
        await AddAsync("b@example.com", SubscriberStatus.Pending, "weekly", "golang");
        await AddAsync("c@example.com", SubscriberStatus.Active, "daily", "go");
        await AddAsync("d@example.com", SubscriberStatus.Unsubscribed, "daily");

        Assert.Equal(["a@example.com", "c@example.com"], await AddressesAsync(new SubscriberSearch(Status: SubscriberStatus.Active)));
        Assert.Equal(["c@example.com", "d@example.com"], await AddressesAsync(new SubscriberSearch(Cadence: "daily")));
        // A whole tag key, not a piece of a longer one.
        Assert.Equal(["a@example.com", "c@example.com"], await AddressesAsync(new SubscriberSearch(Tag: "go")));
        Assert.Equal(["a@example.com"], await AddressesAsync(new SubscriberSearch(Tag: "rust")));
        Assert.Equal(["c@example.com"], await AddressesAsync(new SubscriberSearch(Status: SubscriberStatus.Active, Cadence: "daily", Tag: "go")));
        Assert.Equal(["b@example.com"], await AddressesAsync(new SubscriberSearch(Fragment: "b@", Status: SubscriberStatus.Pending, Cadence: "weekly")));
        Assert.Empty(await AddressesAsync(new SubscriberSearch(Status: SubscriberStatus.Complained)));
    }

    [Fact]
    public async Task Pages_forward_and_back_show_every_match_once()
    {
        // 130 matches among 260 rows, so three pages forward and the same three back.
        for (var i = 0; i < 130; i++)
        {
            await AddAsync($"hit{i:D3}@example.com", SubscriberStatus.Active, "weekly");
            await AddAsync($"miss{i:D3}@example.com", SubscriberStatus.Pending, "weekly");
        }
        var expected = Enumerable.Range(0, 130).Select(i => $"hit{i:D3}@example.com").ToList();
        foreach (var search in new[] { new SubscriberSearch(Status: SubscriberStatus.Active), new SubscriberSearch(Fragment: "HIT") })
        {
            var forward = new List<string>();
            var pages = new List<SubscriberPage>();
            var page = await Directory.SearchAsync(search, CancellationToken.None);
            Assert.Null(page.PreviousBefore);
            while (true)
            {
                pages.Add(page);
                forward.AddRange(page.Rows.Select(r => r.Subscriber.Address));
                if (page.NextAfter is not { } after) break;
                page = await Directory.SearchAsync(search with { After = after }, CancellationToken.None);
            }
            Assert.Equal(expected, forward);
            Assert.Equal([50, 50, 30], pages.Select(p => p.Rows.Count));
            Assert.All(pages, p => Assert.Null(p.SearchedTo));

            var backward = new List<string>();
            var last = pages[^1];
            var before = last.PreviousBefore;
            backward.InsertRange(0, last.Rows.Select(r => r.Subscriber.Address));
            while (before is { } key)
            {
                page = await Directory.SearchAsync(search with { Before = key }, CancellationToken.None);
                Assert.Equal(SubscriberSearch.PageSize, page.Rows.Count);
                backward.InsertRange(0, page.Rows.Select(r => r.Subscriber.Address));
                before = page.PreviousBefore;
            }
            Assert.Equal(expected, backward);
            // Paging back from the second page lands on the first as it was.
            var second = await Directory.SearchAsync(search with { After = pages[0].NextAfter }, CancellationToken.None);
            var first = await Directory.SearchAsync(search with { Before = second.PreviousBefore }, CancellationToken.None);
            Assert.Equal(pages[0].Rows, first.Rows);
            Assert.Null(first.PreviousBefore);
            Assert.Equal(pages[0].NextAfter, first.NextAfter);
        }
    }

    [Fact]
    public async Task A_fragment_search_examines_at_most_the_scan_limit_a_page_and_says_where_it_stopped()
    {
        await SeedAsync(1, SubscriberSearch.ScanLimit + 10, "filler");
        var needle = await AddAsync("needle@example.com");

        var first = await Directory.SearchAsync(new SubscriberSearch(Fragment: "needle"), CancellationToken.None);
        Assert.Empty(first.Rows);
        Assert.NotNull(first.SearchedTo);
        Assert.Equal(first.SearchedTo, first.NextAfter);
        Assert.True(first.SearchedTo < needle.Id);

        var next = await Directory.SearchAsync(new SubscriberSearch(Fragment: "needle", After: first.NextAfter), CancellationToken.None);
        Assert.Equal([needle.Id], next.Rows.Select(r => r.Subscriber.Id));
        Assert.Null(next.SearchedTo);
        Assert.Null(next.NextAfter);

        // Back from past the end: the window closest to the key, then where it stopped.
        var back = await Directory.SearchAsync(new SubscriberSearch(Fragment: "filler1@", Before: needle.Id + 1), CancellationToken.None);
        Assert.Empty(back.Rows);
        Assert.Equal(back.SearchedTo, back.PreviousBefore);
        var earlier = await Directory.SearchAsync(new SubscriberSearch(Fragment: "filler1@", Before: back.PreviousBefore), CancellationToken.None);
        Assert.Equal(["filler1@example.com"], earlier.Rows.Select(r => r.Subscriber.Address));
    }

    [Fact]
    public async Task A_row_carries_the_subscribers_newest_event()
    {
        var ann = await AddAsync("ann@example.com");
        var bob = await AddAsync("bob@example.com");
        var rules = new FeedbackRules(MaxBounces: 5, MaxSoftBounces: 5, SoftBounceWindow: TimeSpan.FromDays(14));
        await Feedback.RecordAsync(new FeedbackEvent("r1", FeedbackKind.SoftBounce, "imap", Now, new FeedbackTarget(ann.Id), ""), rules, CancellationToken.None);
        await Feedback.RecordAsync(new FeedbackEvent("r2", FeedbackKind.HardBounce, "imap", Now.AddHours(1), new FeedbackTarget(ann.Id), ""), rules, CancellationToken.None);

        var rows = (await Directory.SearchAsync(new SubscriberSearch(), CancellationToken.None)).Rows;
        Assert.Equal(("hard-bounce", (DateTimeOffset?)Now.AddHours(1), 1), (rows[0].LastEventKind, rows[0].LastEventAt, rows[0].Subscriber.Bounces));
        Assert.Equal((bob.Id, (string?)null), (rows[1].Subscriber.Id, rows[1].LastEventKind));
    }

    [Fact]
    public async Task Deliveries_come_newest_run_first_with_the_servers_last_words_and_page_by_run()
    {
        var ann = await AddAsync("ann@example.com");
        var bob = await AddAsync("bob@example.com");
        for (var i = 0; i < 3; i++)
        {
            var run = $"weekly/2026-03-0{i + 1}";
            var at = Now.AddDays(i);
            await Ledger.OpenRunAsync(run, "weekly", at, CancellationToken.None);
            // Planned after each one's watermark as it stands, as the planner does, so no run is skipped as already sent.
            var planned = new List<PlannedDelivery>();
            foreach (var (who, name) in new[] { (ann.Id, "ann"), (bob.Id, "bob") })
                planned.Add(new PlannedDelivery(who, [$"p{i}"], at, $"d{i}.{name}@blog.test") { PlannedAfter = (await Store.FindAsync(who, CancellationToken.None))!.Watermark });
            await Ledger.AddAsync(run, planned, at, CancellationToken.None);
            await Ledger.MarkPlannedAsync(run, at, CancellationToken.None);
            foreach (var claim in await Ledger.ClaimAsync(at, TimeSpan.FromMinutes(5), 10, CancellationToken.None))
            {
                if (claim.Subscriber.Id == ann.Id && i == 1) await Ledger.FailAsync(claim, "550 5.1.1 mailbox unknown", bounce: false, 5, at, CancellationToken.None);
                else await Ledger.CompleteAsync(claim, at, CancellationToken.None);
            }
        }

        var all = await Directory.DeliveriesAsync(ann.Id, null, 10, CancellationToken.None);
        Assert.Equal(["weekly/2026-03-03", "weekly/2026-03-02", "weekly/2026-03-01"], all.Select(d => d.RunKey));
        Assert.Equal(["sent", "failed", "sent"], all.Select(d => d.Outcome));
        Assert.Equal(["d2.ann@blog.test", "d1.ann@blog.test", "d0.ann@blog.test"], all.Select(d => d.MessageId));
        Assert.Equal("550 5.1.1 mailbox unknown", all[1].LastError);
        Assert.Equal(Now.AddDays(1), all[1].At);
        Assert.Equal("weekly", all[0].Cadence);

        var firstTwo = await Directory.DeliveriesAsync(ann.Id, null, 2, CancellationToken.None);
        var rest = await Directory.DeliveriesAsync(ann.Id, firstTwo[^1].RunKey, 2, CancellationToken.None);
        Assert.Equal(all, [.. firstTwo, .. rest]);
        Assert.Empty(await Directory.DeliveriesAsync(ann.Id + bob.Id + 100, null, 10, CancellationToken.None));
    }

    [Fact]
    public async Task A_term_longer_than_any_address_is_refused()
    {
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() =>
            Directory.SearchAsync(new SubscriberSearch(Fragment: new string('a', SubscriberSearch.MaxTermLength + 1)), CancellationToken.None));
    }
}

public sealed class SqliteSubscriberDirectoryTests : SubscriberDirectoryContract
{
    protected override Task<StoreUnderTest> CreateAsync() => SqliteStores.CreateAsync();
}

[Collection(SharedPostgres.Name)]
public sealed class PostgresSubscriberDirectoryTests(PostgresServer server) : SubscriberDirectoryContract
{
    protected override Task<StoreUnderTest> CreateAsync() => PostgresStores.CreateAsync(server);

    /// <summary>
    /// At a million rows the planner chose a parallel scan for a page and paid tens of milliseconds starting workers
    /// for a fraction of one. Here parallel plans are made free and forced for the session, so the keyset page is
    /// planned with a Gather outside a page's transaction and must not be inside it.
    /// </summary>
    [Fact]
    public async Task A_page_is_planned_without_parallel_workers()
    {
        await SeedAsync(1, 5000, "p");
        await using var connection = await Database.OpenAsync(CancellationToken.None);
        // Forced, so the test does not hang on the planner's costing: a Gather over any plan parallel mode allows.
        var force = int.Parse(connection.ServerVersion.Split('.')[0], System.Globalization.CultureInfo.InvariantCulture) >= 16 ? "debug_parallel_query" : "force_parallel_mode";
        foreach (var setting in new[] { "ANALYZE subscribers", "SET parallel_setup_cost = 0", "SET parallel_tuple_cost = 0",
                     "SET min_parallel_index_scan_size = 0", "SET min_parallel_table_scan_size = 0", $"SET {force} = on" })
        {
            await using var command = connection.Command(setting);
            await command.ExecuteNonQueryAsync();
        }
        Assert.Contains("Gather", await PlanAsync(connection, null));

        await using var transaction = await SqlSubscriberDirectory.ShortReadAsync(Database, connection, CancellationToken.None);
        Assert.DoesNotContain("Gather", await PlanAsync(connection, transaction));
        await transaction!.CommitAsync();
        // SET LOCAL ended with the page's transaction: the connection's other queries may be parallel again.
        Assert.Contains("Gather", await PlanAsync(connection, null));
    }

    private static async Task<string> PlanAsync(System.Data.Common.DbConnection connection, System.Data.Common.DbTransaction? transaction)
    {
        await using var command = connection.Command("EXPLAIN SELECT * FROM subscribers WHERE id > 0 ORDER BY id LIMIT 51", transaction);
        await using var reader = await command.ExecuteReaderAsync();
        var plan = new System.Text.StringBuilder();
        while (await reader.ReadAsync()) plan.AppendLine(reader.GetString(0));
        return plan.ToString();
    }
}

using System.Globalization;
using Blog.MailingList;
using Blog.Readership;
using Blog.Storage;
using Microsoft.Playwright;

namespace Blog.Tests.Admin;

/// <summary>
/// Every console page in Chromium on a small, realistic blog: each answers 200 with its own heading and without a
/// console error or a policy violation. With BLOG_SCREENSHOTS naming a folder, each page is also saved there as
/// console-&lt;page&gt;.png (the pictures in docs/ are made this way).
/// </summary>
public sealed class ConsoleScreenshotTests
{
    private static readonly string[] Tags = ["go", "rust", "cooking"];

    [Fact]
    public async Task Every_console_page_loads_cleanly_in_Chromium_with_seeded_data()
    {
        using var folder = new TempFolder();
        var now = DateTimeOffset.UtcNow;
        folder.Write("posts/hello.md", PostText.Of("Hello, world", now.AddDays(-40).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), extra: "tags: [go]"));
        folder.Write("posts/ownership.md", PostText.Of("Ownership without tears", now.AddDays(-20).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), extra: "tags: [rust]"));
        folder.Write("posts/bread.md", PostText.Of("Sourdough on a weeknight", now.AddDays(-2).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), extra: "tags: [cooking, go]"));
        folder.Write("posts/draft.md", PostText.Of("Half a thought", "2026-01-02", extra: "draft: true"));
        folder.Write("posts/later.md", PostText.Of("Coming next week", now.AddDays(5).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)));
        folder.Write("posts/broken.md", PostText.Of("Broken post", "the 5th of never"));
        await using var blog = await RunningBlog.StartAsync(folder.Combine("posts"), folder.Combine("out"), "--Site:Url=https://blog.example.com/");
        var subscriberId = await SeedAsync(blog, now);
        await ConsoleSession.AccountAsync(blog);

        var (playwright, browser) = await Chromium.LaunchAsync();
        using var _ = playwright;
        await using var __ = browser;
        await using var context = await browser.NewContextAsync(new BrowserNewContextOptions
        {
            ColorScheme = ColorScheme.Light, ViewportSize = new ViewportSize { Width = 1280, Height = 900 },
        });
        var page = await context.NewPageAsync();
        var errors = new List<string>();
        // The browser asks for /favicon.ico on its own, which the console has not: not the page's doing.
        page.Console += (_, message) =>
        {
            if (message.Type == "error" && !message.Location.Contains("favicon.ico", StringComparison.Ordinal)) errors.Add(message.Text);
        };
        page.PageError += (_, error) => errors.Add(error);
        var shots = Environment.GetEnvironmentVariable("BLOG_SCREENSHOTS");

        async Task VisitAsync(string name, string path, string heading)
        {
            var response = await page.GotoAsync(new Uri(blog.ConsoleAddress, path.TrimStart('/')).AbsoluteUri, new() { WaitUntil = WaitUntilState.NetworkIdle });
            Assert.NotNull(response);
            Assert.True(response.Status == 200, $"{name} ({path}): HTTP {response.Status}");
            Assert.Equal(heading, await page.GetByRole(AriaRole.Heading, new() { Level = 1 }).TextContentAsync());
            Assert.True(errors.Count == 0, $"{name} ({path}): {string.Join("\n", errors)}");
            if (!string.IsNullOrEmpty(shots))
            {
                Directory.CreateDirectory(shots);
                await page.ScreenshotAsync(new() { Path = Path.Combine(shots, $"console-{name}.png"), FullPage = true });
            }
        }

        await VisitAsync("signin", "/signin", "Sign in");
        await ConsoleSession.SignInAsync(page, blog.ConsoleAddress);
        var runKey = "weekly/" + now.AddDays(-7).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        await VisitAsync("overview", "/", "Overview");
        await VisitAsync("subscribers", "/subscribers", "Subscribers");
        await VisitAsync("subscriber", "/subscribers/" + subscriberId.ToString(CultureInfo.InvariantCulture), "ann.lee@example.com");
        await VisitAsync("runs", "/runs", "Runs");
        await VisitAsync("run", "/runs/" + string.Join('/', runKey.Split('/').Select(Uri.EscapeDataString)), "Run " + runKey);
        await VisitAsync("preview", "/preview?subscriber=ann.lee%40example.com", "Digest preview");
        await VisitAsync("posts", "/posts", "Posts");
        await VisitAsync("readership", "/readership", "Feed readership");
        await VisitAsync("account", "/account", "Account");
        await VisitAsync("health", "/health", "Health");
        // Seeded rows are on the pages, not only their headings.
        await page.GotoAsync(new Uri(blog.ConsoleAddress, "subscribers").AbsoluteUri);
        Assert.Contains("ann.lee@example.com", await page.ContentAsync(), StringComparison.Ordinal);
    }

    /// <summary>A list that grew over six weeks, two digest runs with a bounce and a complaint, and feed readers; returns one active subscriber's id.</summary>
    private static async Task<long> SeedAsync(RunningBlog blog, DateTimeOffset now)
    {
        var store = blog.Service<ISubscriberStore>();
        string[] names = ["ann.lee", "bo.chen", "carla", "dmitri", "eve.m", "farah", "gus", "hana", "ivan.p", "jo", "kemal", "lena", "mo", "nadia", "oscar",
            "pia", "quentin", "rosa", "sam.k", "tariq", "uma", "vic", "wen", "xavier", "yara", "zoe", "aiko", "bram", "cleo", "dev"];
        SubscriberStatus[] statuses = [SubscriberStatus.Active, SubscriberStatus.Active, SubscriberStatus.Active, SubscriberStatus.Pending, SubscriberStatus.Active,
            SubscriberStatus.Unsubscribed, SubscriberStatus.Active, SubscriberStatus.Bounced, SubscriberStatus.Active, SubscriberStatus.Complained];
        var drafts = names.Select((name, i) => TestSubscriptions.Draft($"{name}@example.com", statuses[i % statuses.Length], i % 3 == 0 ? "daily" : "weekly",
            [.. Tags.Where((_, t) => (i + t) % 2 == 0)])).ToList();
        await store.ImportAsync(drafts, now, null, null, CancellationToken.None);

        var database = blog.Service<Database>();
        await using var connection = await database.OpenAsync(CancellationToken.None);
        async Task ExecAsync(string sql, params (string, object?)[] values)
        {
            await using var command = connection.Command(sql, null, values);
            await command.ExecuteNonQueryAsync();
        }
        // Spread the sign-ups over six weeks, and the leavers' leaving after them.
        for (var i = 0; i < names.Length; i++)
        {
            var joined = now.AddDays(-42 + i * 42.0 / names.Length).ToUnixTimeMilliseconds();
            await ExecAsync("UPDATE subscribers SET created_at = @at, unsubscribed_at = CASE WHEN status = 'unsubscribed' THEN @left ELSE unsubscribed_at END WHERE address = @address",
                ("@at", joined), ("@left", joined + 3 * 86_400_000L), ("@address", $"{names[i]}@example.com"));
        }
        // The first reader has read nothing since a month ago, so their preview holds the recent posts.
        await ExecAsync("UPDATE subscribers SET watermark = @at, confirmed_at = @at WHERE address = 'ann.lee@example.com'", ("@at", now.AddDays(-30).ToUnixTimeMilliseconds()));
        // The list day by day, as the daily snapshot would have kept it.
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        for (var d = 42; d >= 1; d--)
        {
            var grown = (42 - d) * names.Length / 42;
            await ExecAsync("INSERT INTO subscriber_daily (day, pending, active, unsubscribed, bounced, complained, signups, unsubscribes, taken_at) " +
                "VALUES (@day, @pending, @active, @unsubscribed, @bounced, @complained, @signups, @unsubscribes, @taken)",
                ("@day", (long)(today.AddDays(-d).DayNumber - new DateOnly(1970, 1, 1).DayNumber)), ("@pending", (long)(grown / 10 + 1)), ("@active", (long)(grown * 6 / 10)),
                ("@unsubscribed", (long)(grown / 10)), ("@bounced", (long)(grown / 12)), ("@complained", (long)(grown / 15)), ("@signups", (long)(d % 3 == 0 ? 1 : 0)),
                ("@unsubscribes", (long)(d % 11 == 0 ? 1 : 0)), ("@taken", now.AddDays(-d).ToUnixTimeMilliseconds()));
        }
        await blog.Service<ISubscriberHistory>().SnapshotAsync(today, CancellationToken.None);

        // Two weekly runs: the older all sent, the newer with a hard bounce, a failure and a complaint after delivery.
        var ids = new Dictionary<string, long>();
        foreach (var name in names) ids[name] = (await store.FindAsync(EmailAddress.Parse($"{name}@example.com"), CancellationToken.None))!.Id;
        foreach (var (days, key) in new[] { (14, "weekly/" + now.AddDays(-14).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)), (7, "weekly/" + now.AddDays(-7).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)) })
        {
            var at = now.AddDays(-days).ToUnixTimeMilliseconds();
            await ExecAsync("INSERT INTO digest_runs (key, cadence, created_at) VALUES (@key, 'weekly', @at)", ("@key", key), ("@at", at));
            foreach (var (name, i) in names.Select((n, i) => (n, i)).Where(p => p.i % 3 != 0))
            {
                var (status, error) = days == 7 && name == "hana" ? ("failed", "550 5.1.1 <hana@example.com>: no such mailbox")
                    : days == 7 && name == "gus" ? ("failed", "452 4.2.2 mailbox full (gave up after 5 attempts)") : ("sent", (string?)null);
                await ExecAsync("INSERT INTO deliveries (run_key, subscriber_id, status, posts, message_id, attempts, next_attempt_at, last_error, settled_at) " +
                    "VALUES (@run, @id, @status, '', @mid, @attempts, 0, @error, @at)",
                    ("@run", key), ("@id", ids[name]), ("@status", status), ("@mid", $"<{ids[name]}.{days}@blog.example.com>"), ("@attempts", status == "failed" ? 5L : 1L),
                    ("@error", error), ("@at", at + i * 1000L));
            }
        }
        var lastRun = "weekly/" + now.AddDays(-7).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        await ExecAsync("INSERT INTO subscriber_events (subscriber_id, kind, source, at, run_key, diagnostic, event_key) VALUES (@id, 'hard-bounce', 'smtp', @at, @run, '550 5.1.1 no such mailbox', 'seed-bounce')",
            ("@id", ids["hana"]), ("@at", now.AddDays(-7).ToUnixTimeMilliseconds()), ("@run", lastRun));
        await ExecAsync("INSERT INTO subscriber_events (subscriber_id, kind, source, at, run_key, diagnostic, event_key) VALUES (@id, 'complaint', 'arf', @at, @run, 'abuse report from the mailbox provider', 'seed-complaint')",
            ("@id", ids["jo"]), ("@at", now.AddDays(-6).ToUnixTimeMilliseconds()), ("@run", lastRun));

        // Feed polls over a month: aggregators reporting their subscribers, and direct readers.
        var readership = blog.Service<IReadershipStore>();
        var limits = new ReadershipOptions().Limits();
        for (var d = 30; d >= 0; d--)
        {
            var day = ReadershipRecorder.DayOf(now.AddDays(-d));
            await readership.RecordAsync(new ReadershipBatch(
                [
                    new AggregatorSighting(day, "feed.xml", "Feedly", 120 + (30 - d) * 2, now.AddDays(-d)),
                    new AggregatorSighting(day, "feed.xml", "Inoreader", 40 + (30 - d) / 3, now.AddDays(-d)),
                    new AggregatorSighting(day, "tags/rust/feed.xml", "NewsBlur", 12, now.AddDays(-d)),
                ],
                [.. Enumerable.Range(0, 5 + d % 7).Select(r => new ReaderMark(day, r % 3 == 0 ? "tags/go/feed.xml" : "feed.xml", $"reader-{d}-{r}"))]),
                limits, CancellationToken.None);
        }
        return ids["ann.lee"];
    }
}

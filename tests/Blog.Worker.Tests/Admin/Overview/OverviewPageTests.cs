using System.Globalization;
using System.Net;
using Blog.MailingList;
using Blog.Storage;
using Microsoft.Playwright;

namespace Blog.Tests.Admin.Overview;

/// <summary>The overview over real HTTP and in Chromium, on a running blog with a seeded list, a digest run and a broken post.</summary>
public sealed class OverviewPageTests
{
    private static async Task<RunningBlog> SeededAsync(TempFolder folder)
    {
        folder.Write("posts/a.md", PostText.Of("A", "2026-01-01"));
        folder.Write("posts/broken.md", PostText.Of("Broken", "not-a-date"));
        var blog = await RunningBlog.StartAsync(folder.Combine("posts"), folder.Combine("out"));
        var store = blog.Service<ISubscriberStore>();
        var now = DateTimeOffset.UtcNow;
        await store.ImportAsync(
            [TestSubscriptions.Draft("a@example.com", SubscriberStatus.Active), TestSubscriptions.Draft("b@example.com", SubscriberStatus.Active),
             TestSubscriptions.Draft("c@example.com", SubscriberStatus.Active), TestSubscriptions.Draft("d@example.com")],
            now, null, null, CancellationToken.None);
        var database = blog.Service<Database>();
        await using (var connection = await database.OpenAsync(CancellationToken.None))
        {
            await using (var run = connection.Command("INSERT INTO digest_runs (key, cadence, created_at) VALUES ('weekly-1', 'weekly', @at)", null, ("@at", now.ToUnixTimeMilliseconds())))
                await run.ExecuteNonQueryAsync();
            var statuses = new[] { ("a@example.com", "sent"), ("b@example.com", "sent"), ("c@example.com", "failed") };
            foreach (var (address, status) in statuses)
            {
                var id = (await store.FindAsync(EmailAddress.Parse(address), CancellationToken.None))!.Id;
                await using var delivery = connection.Command(
                    "INSERT INTO deliveries (run_key, subscriber_id, status, posts, message_id, next_attempt_at) VALUES ('weekly-1', @id, @status, '', @mid, 0)",
                    null, ("@id", id), ("@status", status), ("@mid", $"<{id}@example.com>"));
                await delivery.ExecuteNonQueryAsync();
            }
        }
        await blog.Service<ISubscriberHistory>().SnapshotAsync(DateOnly.FromDateTime(now.UtcDateTime), CancellationToken.None);
        return blog;
    }

    [Fact]
    public async Task The_overview_shows_the_seeded_counts_charts_run_outbox_and_post_problems_to_the_owner_only()
    {
        using var folder = new TempFolder();
        await using var blog = await SeededAsync(folder);

        using var anonymous = ConsoleSession.Anonymous(blog);
        var refused = await anonymous.GetAsync("/");
        Assert.True(refused.StatusCode is HttpStatusCode.Redirect or HttpStatusCode.Unauthorized, $"got {refused.StatusCode}");
        Assert.True((await anonymous.GetAsync("/assets/charts.css")).StatusCode is HttpStatusCode.Redirect or HttpStatusCode.Unauthorized);

        using var owner = await ConsoleSession.SignInAsync(blog);
        var html = await owner.GetStringAsync("/?days=90");

        Assert.Contains("data-status=\"active\">3</dd>", html, StringComparison.Ordinal);
        Assert.Contains("data-status=\"pending\">1</dd>", html, StringComparison.Ordinal);
        Assert.Contains("aria-current=\"page\">90 days</a>", html, StringComparison.Ordinal);
        // Today's snapshot ends the subscribers' line; the run's bars hold its deliveries.
        Assert.Matches("data-series=\"active\" data-values=\"(0 ){89}3\"", html);
        Assert.Contains("data-series=\"sent\" data-value=\"2\"", html, StringComparison.Ordinal);
        Assert.Contains("data-series=\"failed\" data-value=\"1\"", html, StringComparison.Ordinal);
        Assert.Contains("data-outbox=\"pending\">0</span>", html, StringComparison.Ordinal);
        Assert.Contains("broken.md", html, StringComparison.Ordinal);
        Assert.Equal(4, html.Split("role=\"img\"").Length - 1);
        Assert.DoesNotContain(" style=", html, StringComparison.Ordinal);

        var css = await owner.GetAsync("/assets/charts.css");
        Assert.Equal(HttpStatusCode.OK, css.StatusCode);
        Assert.Contains(".s-active", await css.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        // A range not offered falls back to the shortest.
        Assert.Contains("aria-current=\"page\">30 days</a>", await owner.GetStringAsync("/?days=100000"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_empty_database_shows_an_overview_of_nothing_yet()
    {
        using var folder = new TempFolder();
        folder.Write("posts/a.md", PostText.Of("A", "2026-01-01"));
        await using var blog = await RunningBlog.StartAsync(folder.Combine("posts"), folder.Combine("out"));
        using var owner = await ConsoleSession.SignInAsync(blog);

        var html = await owner.GetStringAsync("/?days=365");

        Assert.Contains("data-status=\"active\">0</dd>", html, StringComparison.Ordinal);
        Assert.Contains("No data yet", html, StringComparison.Ordinal);
        Assert.Contains("No post problems.", html, StringComparison.Ordinal);
        Assert.Contains("One node, on SQLite", html, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(ColorScheme.Light, "rgb(26, 127, 55)")]
    [InlineData(ColorScheme.Dark, "rgb(63, 185, 80)")]
    public async Task In_Chromium_the_overview_loads_without_a_CSP_violation_and_its_charts_follow_the_colour_scheme(ColorScheme scheme, string activeColour)
    {
        using var folder = new TempFolder();
        await using var blog = await SeededAsync(folder);
        await ConsoleSession.AccountAsync(blog);
        var (playwright, browser) = await Chromium.LaunchAsync();
        using var _ = playwright;
        await using var __ = browser;
        await using var context = await browser.NewContextAsync(new BrowserNewContextOptions { ColorScheme = scheme });
        var page = await context.NewPageAsync();
        var errors = new List<string>();
        // The browser asks for /favicon.ico on its own, which the console has not: not the page's doing.
        page.Console += (_, message) =>
        {
            if (message.Type == "error" && !message.Location.Contains("favicon.ico", StringComparison.Ordinal)) errors.Add(message.Text);
        };
        page.PageError += (_, error) => errors.Add(error);
        await ConsoleSession.SignInAsync(page, blog.ConsoleAddress);

        await page.GotoAsync(new Uri(blog.ConsoleAddress, "?days=30").AbsoluteUri, new() { WaitUntil = WaitUntilState.NetworkIdle });

        Assert.Equal("Overview", await page.GetByRole(AriaRole.Heading, new() { Level = 1 }).TextContentAsync());
        Assert.Equal(1, await page.GetByRole(AriaRole.Img, new() { Name = "Digest runs" }).CountAsync());
        Assert.Equal("2", await page.Locator("#runs rect[data-series=sent]").GetAttributeAsync("data-value"));
        Assert.Equal(activeColour, await page.EvaluateAsync<string>("() => getComputedStyle(document.querySelector('#subscribers polyline.s-active')).color"));
        Assert.Empty(errors);

        // The listener does hear the policy refuse something: an inline style put in the page now is reported.
        var refused = page.WaitForConsoleMessageAsync(new() { Predicate = m => m.Text.Contains("Content Security Policy", StringComparison.Ordinal) });
        await page.EvaluateAsync("() => { const s = document.createElement('style'); s.textContent = 'body { color: red }'; document.head.appendChild(s); }");
        await refused;
        Assert.NotEmpty(errors);
    }
}

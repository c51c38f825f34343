using System.Net;
using Blog.Cli;
using Blog.Operations;
using Blog.Serving;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Blog.Tests.Operations;

/// <summary>
/// <c>/healthz</c> and <c>/readyz</c> are public, on both listeners: one word and a status code, never what is in the
/// files, where they are or what failed. The owner reads the detail on the console's <c>/health</c>.
/// </summary>
public sealed class HealthEndpointTests
{
    private const string Secret = "SIGNING-KEY-0123456789abcdef";

    [Fact]
    public async Task Healthz_and_readyz_answer_one_word_on_both_listeners_with_no_paths_values_or_error_text()
    {
        using var folder = new TempFolder();
        folder.Write("posts/good.md", PostText.Of("Good", "2026-01-01"));
        folder.Write("posts/bad.md", PostText.Of("Bad", "not-a-date-" + Secret));
        var key = folder.Write("data/signing.key", Secret + "\n");
        File.CreateSymbolicLink(folder.Combine("posts", "key.md"), key);
        var blocker = folder.Write("blocker", "a file where the output folder should be");
        await using var blog = await RunningBlog.StartAsync(folder.Combine("posts"), Path.Combine(blocker, "out"));
        using var console = new HttpClient { BaseAddress = blog.ConsoleAddress };

        foreach (var client in new[] { blog.Client, console })
        {
            foreach (var path in new[] { "healthz", "readyz" })
            {
                // Ready once the scheduler has started, which the first build does not wait for.
                await Eventually.Until(async () => (await client.GetAsync(path)).StatusCode == HttpStatusCode.OK, $"{client.BaseAddress}{path} answering 200");
                using var response = await client.GetAsync(path);
                var text = await response.Content.ReadAsStringAsync();
                // The output folder cannot be written: degraded, but serving, so ready; the word says no more.
                Assert.Equal("Healthy", text);
                Assert.Equal("text/plain; charset=utf-8", response.Content.Headers.ContentType!.ToString());
                Assert.Equal("no-store", response.Headers.CacheControl!.ToString());
                Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
            }
        }
        // The details are for the owner: the log, `blog check` and the console have them.
        Assert.Equal(2, blog.Site.Problems.Length);
        Assert.NotNull(blog.Site.OutputError);
    }

    [Fact]
    public async Task Readiness_fails_until_the_posts_are_read_and_the_scheduler_has_started_and_liveness_checks_nothing()
    {
        using var folder = new TempFolder();
        folder.Write("posts/a.md", PostText.Of("A", "2026-01-01"));
        await using var app = BlogCli.CreateService(["run", "--content", folder.Combine("posts"), "--out", folder.Combine("out"), "--data", folder.Combine("data"),
            "--urls", LoopbackPort.AnyUrl, "--Logging:LogLevel:Default=None"]);
        var checks = app.Services.GetRequiredService<HealthCheckService>();

        var before = await checks.CheckHealthAsync(HealthEndpoints.Live.Predicate, CancellationToken.None);
        Assert.Equal(HealthStatus.Healthy, before.Status);
        Assert.Empty(before.Entries);
        var unready = await checks.CheckHealthAsync(c => c.Tags.Contains(HealthEndpoints.Ready), CancellationToken.None);
        Assert.Equal(HealthStatus.Unhealthy, unready.Status);
        Assert.Equal(HealthStatus.Unhealthy, unready.Entries["posts"].Status);
        Assert.Equal(HealthStatus.Unhealthy, unready.Entries["scheduler"].Status);

        await app.StartAsync();
        try
        {
            HealthReport? ready = null;
            await Eventually.Until(async () => (ready = await checks.CheckHealthAsync(c => c.Tags.Contains(HealthEndpoints.Ready), CancellationToken.None)).Status == HealthStatus.Healthy,
                "the service becoming ready");
            Assert.Equal(["database", "posts", "scheduler"], ready!.Entries.Keys.Order(StringComparer.Ordinal));
            Assert.Contains("1 posts, 0 problems", ready.Entries["posts"].Description, StringComparison.Ordinal);
        }
        finally
        {
            await app.StopAsync();
        }
    }

    [Fact]
    public async Task The_posts_check_is_unhealthy_while_the_folder_cannot_be_read_and_degraded_while_the_output_cannot_be_written()
    {
        using var folder = new TempFolder();
        folder.Write("posts/a.md", PostText.Of("A", "2026-01-01"));
        await using var blog = await RunningBlog.StartAsync(folder.Combine("posts"), folder.Combine("out"));
        var holder = blog.Service<SiteHolder>();
        var check = new CatalogueHealthCheck(holder);
        var good = holder.Current;

        Assert.Equal(HealthStatus.Healthy, (await check.CheckHealthAsync(new HealthCheckContext())).Status);
        holder.Publish(good.WithStoreError("gone"));
        Assert.Equal(HealthStatus.Unhealthy, (await check.CheckHealthAsync(new HealthCheckContext())).Status);
        holder.Publish(good.WithOutputError("full"));
        var degraded = await check.CheckHealthAsync(new HealthCheckContext());
        Assert.Equal(HealthStatus.Degraded, degraded.Status);
        Assert.Contains("full", degraded.Description, StringComparison.Ordinal);
        holder.Publish(PublishedSite.Empty);
        Assert.Equal(HealthStatus.Unhealthy, (await check.CheckHealthAsync(new HealthCheckContext())).Status);
        holder.Publish(good);
    }

    [Fact]
    public async Task The_console_health_page_shows_the_owner_each_check_its_status_duration_and_description_and_strangers_nothing()
    {
        using var folder = new TempFolder();
        folder.Write("posts/a.md", PostText.Of("A", "2026-01-01"));
        await using var blog = await RunningBlog.StartAsync(folder.Combine("posts"), folder.Combine("out"));

        // Not signed in: sent to sign in, shown nothing.
        using (var anonymous = ConsoleSession.Anonymous(blog))
        using (var stranger = await anonymous.GetAsync("/health"))
        {
            Assert.Equal(HttpStatusCode.Redirect, stranger.StatusCode);
            Assert.Equal("/signin", new Uri(blog.ConsoleAddress, stranger.Headers.Location!).AbsolutePath);
            Assert.DoesNotContain("database", await stranger.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
        Assert.Equal(HttpStatusCode.NotFound, (await blog.Client.GetAsync("health")).StatusCode);

        using var owner = await ConsoleSession.SignInAsync(blog);
        await Eventually.Until(async () => (await owner.GetStringAsync("/health")).Contains("Ready: <strong>Healthy</strong>", StringComparison.Ordinal), "the page saying ready");
        using var page = await owner.GetAsync("/health");
        var html = await page.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("default-src 'none'", page.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        // Reached from the console's navigation, which marks it as the page shown.
        Assert.Contains("href=\"/health\" aria-current=\"page\">Health</a>", html, StringComparison.Ordinal);
        foreach (var name in new[] { "database", "posts", "scheduler" })
            Assert.Matches($"<th scope=\"row\">{name}</th><td>Healthy</td><td>[0-9]+\\.[0-9] ms</td><td>[^<]+</td>", html);
        Assert.Contains("1 posts, 0 problems", html, StringComparison.Ordinal);
        Assert.Contains("the digest scheduler runs", html, StringComparison.Ordinal);
    }
}

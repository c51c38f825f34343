using System.Net;
using System.Text.RegularExpressions;
using Blog.Admin.Access;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Microsoft.Playwright;

namespace Blog.Tests.Admin.Access;

/// <summary>The one-time link the service prints at first start, in a real browser and over HTTP.</summary>
public sealed partial class SetupLinkTests
{
    internal static Uri LinkIn(CapturedLog log)
    {
        var line = Assert.Single(log.Entries, e => e.Level == LogLevel.Warning && e.Message.Contains("setup?token=", StringComparison.Ordinal)).Message;
        return new Uri(Link().Match(line).Value);
    }

    [GeneratedRegex(@"https?://\S+/setup\?token=[A-Za-z0-9_-]+")]
    private static partial Regex Link();

    [Fact]
    public async Task The_setup_link_creates_the_first_account_and_signs_it_in_once_then_says_it_was_used()
    {
        using var folder = new TempFolder();
        await using var blog = await SignInTests.StartAsync(folder);
        var link = LinkIn(blog.Log);
        Assert.Equal(blog.ConsoleAddress.Authority, link.Authority);
        var (playwright, browser) = await Chromium.LaunchAsync();
        using var _ = playwright;
        await using var __ = browser;
        await using var context = await browser.NewContextAsync(new BrowserNewContextOptions { JavaScriptEnabled = false });
        var page = await context.NewPageAsync();

        await page.GotoAsync(link.AbsoluteUri);
        Assert.Equal("Set up the console", await page.GetByRole(AriaRole.Heading, new() { Level = 1 }).TextContentAsync());
        await page.GetByLabel("Name").FillAsync("Owner");
        await page.GetByLabel("New password").FillAsync("my own long passphrase");
        await page.GetByLabel("Again").FillAsync("my own long passphrase");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create the account" }).ClickAsync();
        await page.WaitForURLAsync(url => !url.Contains("/setup", StringComparison.Ordinal));

        await page.GotoAsync(new Uri(blog.ConsoleAddress, "account").AbsoluteUri);
        Assert.Equal("Account", await page.GetByRole(AriaRole.Heading, new() { Level = 1 }).TextContentAsync());
        Assert.Contains("Signed in as owner", await page.Locator("main").TextContentAsync(), StringComparison.Ordinal);

        await page.GotoAsync(link.AbsoluteUri);
        Assert.Equal("Setup link not valid", await page.GetByRole(AriaRole.Heading, new() { Level = 1 }).TextContentAsync());
        Assert.Contains("used already", await page.Locator("main").TextContentAsync(), StringComparison.Ordinal);
        Assert.Single(await blog.Service<IAdminAccounts>().ListAsync(CancellationToken.None));
    }

    [Fact]
    public async Task An_expired_link_says_so_and_how_to_get_another_and_creates_nothing()
    {
        using var folder = new TempFolder();
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var blog = await SignInTests.StartAsync(folder, time, "--Admin:SetupLinkLifetime=01:00:00");
        var link = LinkIn(blog.Log);
        using var session = ConsoleSession.Anonymous(blog);
        Assert.Equal(HttpStatusCode.OK, (await session.GetAsync(link.PathAndQuery)).StatusCode);
        var token = link.Query["?token=".Length..];
        var (field, value) = await session.AntiforgeryAsync(link.PathAndQuery);

        time.Advance(TimeSpan.FromMinutes(61));
        var expired = await session.GetAsync(link.PathAndQuery);
        Assert.Equal(HttpStatusCode.Gone, expired.StatusCode);
        var text = await expired.Content.ReadAsStringAsync();
        Assert.Contains("This setup link has expired.", text, StringComparison.Ordinal);
        Assert.Contains("Restart the service", text, StringComparison.Ordinal);
        Assert.Contains("blog admin add-user NAME", text, StringComparison.Ordinal);
        // The form fetched in time, sent too late: refused as well.
        using var late = new FormUrlEncodedContent([new("token", token), new("name", "owner"), new("password", "a long enough password"),
            new("confirm", "a long enough password"), new(field, value)]);
        Assert.Equal(HttpStatusCode.Gone, (await session.Client.PostAsync("setup", late)).StatusCode);
        Assert.False(await blog.Service<IAdminAccounts>().AnyAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Each_start_without_an_account_prints_a_new_link_and_the_old_one_stops_working_and_none_once_there_is_an_account()
    {
        using var folder = new TempFolder();
        var data = folder.Combine("data");
        Uri first;
        await using (var blog = await SignInTests.StartAsync(folder, null, "--data", data))
            first = LinkIn(blog.Log);
        await using (var blog = await SignInTests.StartAsync(folder, null, "--data", data))
        {
            var second = LinkIn(blog.Log);
            Assert.NotEqual(first.Query, second.Query);
            using var session = ConsoleSession.Anonymous(blog);
            var old = await session.GetAsync(first.PathAndQuery);
            Assert.Equal(HttpStatusCode.Gone, old.StatusCode);
            Assert.Contains("not valid", await old.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            await ConsoleSession.AccountAsync(blog);
        }
        await using (var blog = await SignInTests.StartAsync(folder, null, "--data", data))
            Assert.DoesNotContain(blog.Log.Entries, e => e.Message.Contains("setup?token=", StringComparison.Ordinal));
    }

    [Fact]
    public async Task In_a_browser_a_wrong_password_is_told_then_the_lockout_says_when_to_try_again_and_a_forged_post_is_refused()
    {
        using var folder = new TempFolder();
        await using var blog = await SignInTests.StartAsync(folder, null, "--Admin:MaxFailedSignIns=2");
        var owner = await ConsoleSession.AccountAsync(blog);
        var (playwright, browser) = await Chromium.LaunchAsync();
        using var _ = playwright;
        await using var __ = browser;
        await using var context = await browser.NewContextAsync(new BrowserNewContextOptions { JavaScriptEnabled = false });
        var page = await context.NewPageAsync();

        await ConsoleSession.SignInAsync(page, blog.ConsoleAddress);
        // Another site's form, posted with the owner's cookie but without the console's field.
        var forged = await context.APIRequest.PostAsync(new Uri(blog.ConsoleAddress, "account/signout-everywhere").AbsoluteUri,
            new() { Form = context.APIRequest.CreateFormData().Set("x", "1") });
        Assert.Equal(400, forged.Status);
        Assert.Equal(owner.SecurityStamp, await blog.Service<IAdminAccounts>().StampAsync(owner.Id, CancellationToken.None));
        await page.GotoAsync(new Uri(blog.ConsoleAddress, "account").AbsoluteUri);
        Assert.Equal("Account", await page.GetByRole(AriaRole.Heading, new() { Level = 1 }).TextContentAsync());
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out", Exact = true }).ClickAsync();

        await page.GotoAsync(new Uri(blog.ConsoleAddress, "signin").AbsoluteUri);
        await page.GetByLabel("Name").FillAsync("owner");
        await page.GetByLabel("Password").FillAsync("not my password");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in", Exact = true }).ClickAsync();
        Assert.Equal("Wrong name or password.", await page.GetByRole(AriaRole.Alert).TextContentAsync());
        await page.GetByLabel("Password").FillAsync("still not my password");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in", Exact = true }).ClickAsync();
        Assert.StartsWith("Too many failed sign-ins. Try again after", await page.GetByRole(AriaRole.Alert).TextContentAsync(), StringComparison.Ordinal);
    }
}

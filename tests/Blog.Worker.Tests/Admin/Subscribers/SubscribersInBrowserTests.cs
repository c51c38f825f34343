using Blog.MailingList;
using Blog.Tests.Support;
using Microsoft.Playwright;

namespace Blog.Tests.Admin.Subscribers;

/// <summary>
/// The owner in a real browser (headless Chromium, JavaScript off, as the console must work without it): searches the
/// list with a fragment and a filter, opens a subscriber, changes their cadence and then forgets them.
/// </summary>
public sealed class SubscribersInBrowserTests
{
    [Fact]
    public async Task Search_change_a_cadence_and_forget_in_Chromium()
    {
        using var folder = new TempFolder();
        folder.Write("posts/a.md", PostText.Of("A", "2026-01-01", extra: "tags: [go]"));
        await using var blog = await RunningBlog.StartAsync(folder.Combine("posts"), folder.Combine("out"));
        var store = blog.Service<ISubscriberStore>();
        await store.ImportAsync([TestSubscriptions.Draft("ann@example.com", SubscriberStatus.Active), TestSubscriptions.Draft("anna@example.com", SubscriberStatus.Pending),
            TestSubscriptions.Draft("bob@example.com", SubscriberStatus.Active)], DateTimeOffset.UtcNow, null, null, CancellationToken.None);
        var ann = (await store.FindAsync(EmailAddress.Parse("ann@example.com"), CancellationToken.None))!;

        var (playwright, browser) = await Chromium.LaunchAsync();
        using var _ = playwright;
        await using var __ = browser;
        await using var context = await browser.NewContextAsync(new BrowserNewContextOptions { JavaScriptEnabled = false });
        var page = await context.NewPageAsync();
        // Signed in over HTTP and the session cookie handed to the browser: the sign-in form is the access tests' to drive.
        using var session = await ConsoleSession.SignInAsync(blog);
        await context.AddCookiesAsync([.. session.Cookies.GetCookies(blog.ConsoleAddress).Select(c => new Cookie
        {
            Name = c.Name, Value = c.Value, Url = blog.ConsoleAddress.AbsoluteUri,
        })]);
        await page.GotoAsync(new Uri(blog.ConsoleAddress, "subscribers").AbsoluteUri);
        await page.GetByLabel("Address contains").FillAsync("ANN");
        await page.GetByLabel("Status").SelectOptionAsync("active");
        await page.GetByRole(AriaRole.Button, new() { Name = "Search" }).ClickAsync();
        Assert.Equal(["ann@example.com"], await page.Locator("table.subscribers tbody td:first-child").AllTextContentsAsync());

        await page.GetByRole(AriaRole.Link, new() { Name = "ann@example.com" }).ClickAsync();
        Assert.Equal("ann@example.com", await page.GetByRole(AriaRole.Heading, new() { Level = 1 }).TextContentAsync());
        await page.GetByRole(AriaRole.Radio, new() { Name = "daily" }).CheckAsync();
        await page.GetByRole(AriaRole.Checkbox, new() { Name = "go" }).CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Save tags and cadence" }).ClickAsync();
        Assert.Equal("Tags and cadence saved.", await page.GetByRole(AriaRole.Status).TextContentAsync());
        Assert.Equal(ann with { Cadence = "daily", Tags = ["go"] }, await store.FindAsync(ann.Id, CancellationToken.None));

        await page.GetByLabel("Type the address to confirm").FillAsync("ann@example.com");
        await page.GetByRole(AriaRole.Button, new() { Name = "Forget" }).ClickAsync();
        Assert.Contains("was erased", await page.GetByRole(AriaRole.Status).TextContentAsync(), StringComparison.Ordinal);
        Assert.Null(await store.FindAsync(ann.Id, CancellationToken.None));
        Assert.Equal(["anna@example.com", "bob@example.com"], await page.Locator("table.subscribers tbody td:first-child").AllTextContentsAsync());
    }
}

using Blog.MailingList;
using Microsoft.Playwright;

namespace Blog.Tests.Subscriptions;

/// <summary>
/// A person in a real browser (headless Chromium, JavaScript off): signs up on the page, opens the confirmation link
/// from the mail, changes preferences and unsubscribes. Fields are found by their labels and buttons by their roles,
/// as a screen reader would find them.
/// </summary>
public sealed class SignUpInBrowserTests
{
    [Fact]
    public async Task Sign_up_confirm_change_preferences_and_unsubscribe_in_Chromium()
    {
        using var folder = new TempFolder();
        await using var blog = await RunningBlog.StartAsync(Path.Combine(TestSite.RepositoryRoot(), "content", "posts"), folder.Combine("out"), selfLinked: true,
            "--Mail:PollInterval=00:00:00.200");
        var store = blog.Service<ISubscriberStore>();
        var (playwright, browser) = await Chromium.LaunchAsync();
        using var _ = playwright;
        await using var __ = browser;
        await using var context = await browser.NewContextAsync(new BrowserNewContextOptions { JavaScriptEnabled = false });
        var page = await context.NewPageAsync();

        await page.GotoAsync(new Uri(blog.BaseAddress, "subscribe").AbsoluteUri);
        Assert.Equal("Subscribe · Blog", await page.TitleAsync());
        await page.GetByLabel("Email address").FillAsync("reader@example.com");
        await page.GetByRole(AriaRole.Radio, new() { Name = "daily" }).CheckAsync();
        await page.GetByRole(AriaRole.Checkbox, new() { Name = "evals" }).CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Subscribe" }).ClickAsync();
        Assert.Equal("Check your inbox", await page.GetByRole(AriaRole.Heading, new() { Level = 1 }).TextContentAsync());

        await blog.Service<Blog.Subscriptions.SignUpBacklog>().WhenIdleAsync(CancellationToken.None);
        var pending = await store.FindAsync(EmailAddress.Parse("reader@example.com"), CancellationToken.None);
        Assert.Equal((SubscriberStatus.Pending, "daily"), (pending!.Status, pending.Cadence));
        Assert.Equal<string>(["evals"], pending.Tags);

        var mail = await blog.Mail.WaitForAsync("reader@example.com");
        await page.GotoAsync(PickupMail.Link(mail, "confirm").AbsoluteUri);
        Assert.Equal("Confirm your subscription", await page.GetByRole(AriaRole.Heading, new() { Level = 1 }).TextContentAsync());
        // Opening the link is what a mail filter's scanner does too: only the button confirms.
        Assert.Equal(SubscriberStatus.Pending, (await store.FindAsync(pending.Id, CancellationToken.None))!.Status);
        await page.GetByRole(AriaRole.Button, new() { Name = "Confirm" }).ClickAsync();
        Assert.Equal("You are subscribed", await page.GetByRole(AriaRole.Heading, new() { Level = 1 }).TextContentAsync());
        Assert.Equal(SubscriberStatus.Active, (await store.FindAsync(pending.Id, CancellationToken.None))!.Status);

        await page.GetByRole(AriaRole.Link, new() { Name = "Choose topics and how often" }).ClickAsync();
        Assert.True(await page.GetByRole(AriaRole.Radio, new() { Name = "daily" }).IsCheckedAsync());
        Assert.True(await page.GetByRole(AriaRole.Checkbox, new() { Name = "evals" }).IsCheckedAsync());
        await page.GetByRole(AriaRole.Radio, new() { Name = "weekly" }).CheckAsync();
        await page.GetByRole(AriaRole.Checkbox, new() { Name = "evals" }).UncheckAsync();
        await page.GetByRole(AriaRole.Checkbox, new() { Name = "rag" }).CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        Assert.Equal("Saved.", await page.GetByRole(AriaRole.Status).TextContentAsync());
        var changed = await store.FindAsync(pending.Id, CancellationToken.None);
        Assert.Equal((SubscriberStatus.Active, "weekly"), (changed!.Status, changed.Cadence));
        Assert.Equal<string>(["rag"], changed.Tags);

        await page.GetByRole(AriaRole.Link, new() { Name = "Unsubscribe" }).ClickAsync();
        Assert.Equal("Unsubscribe", await page.GetByRole(AriaRole.Heading, new() { Level = 1 }).TextContentAsync());
        await page.GetByRole(AriaRole.Button, new() { Name = "Unsubscribe" }).ClickAsync();
        Assert.Equal("You are unsubscribed", await page.GetByRole(AriaRole.Heading, new() { Level = 1 }).TextContentAsync());
        Assert.Equal(SubscriberStatus.Unsubscribed, (await store.FindAsync(pending.Id, CancellationToken.None))!.Status);
    }
}

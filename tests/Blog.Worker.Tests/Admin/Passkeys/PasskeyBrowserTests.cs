using Blog.Admin.Access;
using Microsoft.Playwright;

namespace Blog.Tests.Admin.Passkeys;

/// <summary>
/// Passkeys the real way: Debian's Chromium, the console's own script, and the DevTools WebAuthn virtual authenticator
/// standing in for the device (a platform authenticator that keeps discoverable credentials and verifies its user).
/// </summary>
public sealed class PasskeyBrowserTests
{
    [Fact]
    public async Task Register_a_passkey_sign_in_with_it_alone_then_require_it_after_the_password_in_Chromium()
    {
        using var folder = new TempFolder();
        folder.Write("posts/a.md", PostText.Of("A", "2026-01-01"));
        await using var blog = await RunningBlog.StartAsync(folder.Combine("posts"), folder.Combine("out"));
        await ConsoleSession.AccountAsync(blog);
        // WebAuthn needs a host name: the console by "localhost", as an owner reaches it through an SSH tunnel.
        var console = new UriBuilder(blog.ConsoleAddress) { Host = "localhost" }.Uri;
        var (playwright, browser) = await Chromium.LaunchAsync();
        using var _ = playwright;
        await using var __ = browser;
        await using var context = await browser.NewContextAsync();
        var page = await context.NewPageAsync();
        var devTools = await context.NewCDPSessionAsync(page);
        await devTools.SendAsync("WebAuthn.enable");
        await devTools.SendAsync("WebAuthn.addVirtualAuthenticator", new Dictionary<string, object>
        {
            ["options"] = new Dictionary<string, object>
            {
                ["protocol"] = "ctap2",
                ["transport"] = "internal",
                ["hasResidentKey"] = true,
                ["hasUserVerification"] = true,
                ["isUserVerified"] = true,
                ["automaticPresenceSimulation"] = true,
            },
        });
        var scriptErrors = new List<string>();
        page.PageError += (_, error) => scriptErrors.Add(error);
        page.Console += (_, message) =>
        {
            if (message.Type == "error") scriptErrors.Add(message.Text);
        };

        await ConsoleSession.SignInAsync(page, console);
        await page.GotoAsync(new Uri(console, "account").AbsoluteUri);
        await page.GetByLabel("Name of the new passkey").FillAsync("Chromium");
        await page.GetByRole(AriaRole.Button, new() { Name = "Add a passkey" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Cell, new() { Name = "Chromium", Exact = true })).ToBeVisibleAsync();
        var account = (await blog.Service<IAdminAccounts>().FindAsync(ConsoleSession.DefaultName, CancellationToken.None))!;
        Assert.Single(await blog.Service<Blog.Admin.Passkeys.IPasskeyStore>().ListAsync(account.Id, CancellationToken.None));

        // Signed out, the passkey alone signs in: no name, no password.
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out", Exact = true }).ClickAsync();
        await page.WaitForURLAsync(url => url.Contains("/signin", StringComparison.Ordinal));
        await page.GotoAsync(new Uri(console, "signin?ReturnUrl=%2Faccount").AbsoluteUri);
        await PasskeyAnswerAsync(page, () => page.GetByRole(AriaRole.Button, new() { Name = "Sign in with a passkey" }).ClickAsync());
        await page.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/account");
        await Assertions.Expect(page.GetByText("Signed in as")).ToContainTextAsync(ConsoleSession.DefaultName);

        await page.GetByRole(AriaRole.Button, new() { Name = "Require a passkey" }).ClickAsync();
        await Assertions.Expect(page.GetByText("A passkey is required")).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out", Exact = true }).ClickAsync();
        await page.WaitForURLAsync(url => url.Contains("/signin", StringComparison.Ordinal));

        // The password alone stops at the passkey step: the console stays shut.
        await SignInWithPasswordAsync(page, console);
        await page.GotoAsync(new Uri(console, "account").AbsoluteUri);
        Assert.Equal("/signin", new Uri(page.Url).AbsolutePath);

        // The password, then the passkey: in.
        await SignInWithPasswordAsync(page, console);
        await PasskeyAnswerAsync(page, () => page.GetByRole(AriaRole.Button, new() { Name = "Continue with a passkey" }).ClickAsync());
        await page.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/account");
        await Assertions.Expect(page.GetByText("Signed in as")).ToContainTextAsync(ConsoleSession.DefaultName);
        Assert.DoesNotContain(scriptErrors, e => !e.Contains("404", StringComparison.Ordinal));
    }

    /// <summary>
    /// Clicks a passkey button and waits for the script to post the browser's answer: a redirect means it signed in
    /// (to wherever the console sends a new session, which need not be this test's business).
    /// </summary>
    private static async Task PasskeyAnswerAsync(IPage page, Func<Task> click)
    {
        var answer = await page.RunAndWaitForResponseAsync(click,
            r => r.Request.Method == "POST" && new Uri(r.Url).AbsolutePath == "/signin/passkey");
        Assert.Equal(302, answer.Status);
    }

    private static async Task SignInWithPasswordAsync(IPage page, Uri console)
    {
        await page.GotoAsync(new Uri(console, "signin?ReturnUrl=%2Faccount").AbsoluteUri);
        await page.GetByLabel("Name").FillAsync(ConsoleSession.DefaultName);
        await page.GetByLabel("Password").FillAsync(ConsoleSession.DefaultPassword);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in", Exact = true }).ClickAsync();
        await page.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/signin/passkey");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Confirm with a passkey");
    }
}

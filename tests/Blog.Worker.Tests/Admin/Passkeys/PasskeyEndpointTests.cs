using System.Net;
using Blog.Admin.Access;
using Blog.Admin.Passkeys;

namespace Blog.Tests.Admin.Passkeys;

/// <summary>
/// The passkey endpoints over real HTTP, answered by a <see cref="SoftwareAuthenticator"/>: what a passkey opens, and
/// what is refused (no challenge, a challenge used twice, another origin, a key never registered, a counter gone back).
/// </summary>
public sealed class PasskeyEndpointTests
{
    private static async Task<RunningBlog> StartAsync(TempFolder folder)
    {
        folder.Write("posts/a.md", PostText.Of("A", "2026-01-01"));
        return await RunningBlog.StartAsync(folder.Combine("posts"), folder.Combine("out"));
    }

    /// <summary>The console as a browser must open it for passkeys: by name, not by IP address.</summary>
    private static Uri Console(RunningBlog blog) => new UriBuilder(blog.ConsoleAddress) { Host = "localhost" }.Uri;

    private static string Origin(RunningBlog blog) => Console(blog).GetLeftPart(UriPartial.Authority);

    /// <summary>What the console's script does first: POST for the options, the antiforgery token of <paramref name="formPage"/> in the header.</summary>
    private static async Task<(HttpStatusCode Status, string Body)> OptionsAsync(ConsoleSession session, string path, string formPage, string? host = null)
    {
        var (_, token) = await session.AntiforgeryAsync(formPage);
        using var request = new HttpRequestMessage(HttpMethod.Post, path.TrimStart('/'));
        request.Headers.Add("RequestVerificationToken", token);
        if (host is not null) request.Headers.Host = host;
        using var response = await session.Client.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    private static async Task<string> RegisterAsync(RunningBlog blog, ConsoleSession owner, SoftwareAuthenticator key, string name)
    {
        var (status, options) = await OptionsAsync(owner, "/account/passkeys/options", "/account");
        Assert.True(status == HttpStatusCode.OK, options);
        using var added = await owner.PostFormAsync("/account/passkeys", [("credential", key.Create(options, Origin(blog))), ("name", name)]);
        Assert.Equal(HttpStatusCode.Redirect, added.StatusCode);
        return await owner.GetStringAsync("/account");
    }

    private static async Task<HttpResponseMessage> SignInWithAsync(RunningBlog blog, ConsoleSession session, SoftwareAuthenticator key, bool second = false)
    {
        var formPage = second ? "/signin/passkey" : "/signin";
        var (status, options) = await OptionsAsync(session, second ? "/signin/passkey/options?second=1" : "/signin/passkey/options", formPage);
        Assert.True(status == HttpStatusCode.OK, options);
        return await session.PostFormAsync("/signin/passkey", [("credential", key.Get(options, Origin(blog))), ("second", second ? "1" : "0")], formPage);
    }

    private static async Task<bool> SignedInAsync(ConsoleSession session)
    {
        using var account = await session.GetAsync("/account");
        return account.StatusCode == HttpStatusCode.OK;
    }

    [Fact]
    public async Task A_passkey_added_on_the_account_page_signs_in_alone_and_is_listed_with_its_last_use()
    {
        using var folder = new TempFolder();
        await using var blog = await StartAsync(folder);
        using var owner = await ConsoleSession.SignInAsync(blog, consoleAddress: Console(blog));
        using var key = new SoftwareAuthenticator();
        var account = await RegisterAsync(blog, owner, key, "laptop <b>");
        Assert.Contains("laptop &lt;b&gt;", account, StringComparison.Ordinal);
        Assert.Contains("never", account, StringComparison.Ordinal);

        using var visitor = ConsoleSession.Anonymous(blog, Console(blog));
        using var signedIn = await SignInWithAsync(blog, visitor, key);
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        Assert.True(await SignedInAsync(visitor));
        Assert.DoesNotContain("never", await visitor.GetStringAsync("/account"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_answer_with_no_challenge_a_replayed_one_another_origin_or_an_unknown_key_signs_nobody_in()
    {
        using var folder = new TempFolder();
        await using var blog = await StartAsync(folder);
        using var owner = await ConsoleSession.SignInAsync(blog, consoleAddress: Console(blog));
        using var key = new SoftwareAuthenticator();
        await RegisterAsync(blog, owner, key, "laptop");

        // No challenge: an answer to options this browser never asked for.
        using var other = ConsoleSession.Anonymous(blog, Console(blog));
        var (_, elsewhere) = await OptionsAsync(other, "/signin/passkey/options", "/signin");
        using var stranger = ConsoleSession.Anonymous(blog, Console(blog));
        using (var noChallenge = await stranger.PostFormAsync("/signin/passkey", [("credential", key.Get(elsewhere, Origin(blog))), ("second", "0")], "/signin"))
            Assert.Equal(HttpStatusCode.Unauthorized, noChallenge.StatusCode);
        Assert.False(await SignedInAsync(stranger));

        // Replayed: the same answer with the same ceremony cookie, after it was used once.
        using var first = ConsoleSession.Anonymous(blog, Console(blog));
        var (_, options) = await OptionsAsync(first, "/signin/passkey/options", "/signin");
        var ceremony = first.Cookies.GetCookies(Console(blog)).Single(c => c.Name == PasskeyCeremony.CookieName).Value;
        var answer = key.Get(options, Origin(blog));
        using (var used = await first.PostFormAsync("/signin/passkey", [("credential", answer), ("second", "0")], "/signin"))
            Assert.Equal(HttpStatusCode.Redirect, used.StatusCode);
        using var replayer = ConsoleSession.Anonymous(blog, Console(blog));
        replayer.Cookies.Add(Console(blog), new Cookie(PasskeyCeremony.CookieName, ceremony, "/"));
        using (var replayed = await replayer.PostFormAsync("/signin/passkey", [("credential", answer), ("second", "0")], "/signin"))
            Assert.Equal(HttpStatusCode.Unauthorized, replayed.StatusCode);
        Assert.False(await SignedInAsync(replayer));

        // Another origin: signed by the right key, for the right challenge, but at a page elsewhere.
        using var phished = ConsoleSession.Anonymous(blog, Console(blog));
        var (_, phishedOptions) = await OptionsAsync(phished, "/signin/passkey/options", "/signin");
        using (var wrongOrigin = await phished.PostFormAsync("/signin/passkey",
            [("credential", key.Get(phishedOptions, "http://evil.example")), ("second", "0")], "/signin"))
            Assert.Equal(HttpStatusCode.Unauthorized, wrongOrigin.StatusCode);
        Assert.False(await SignedInAsync(phished));

        // A key never registered here.
        using var unknownKey = new SoftwareAuthenticator();
        using var unknown = ConsoleSession.Anonymous(blog, Console(blog));
        var (_, unknownOptions) = await OptionsAsync(unknown, "/signin/passkey/options", "/signin");
        using (var refused = await unknown.PostFormAsync("/signin/passkey", [("credential", unknownKey.Get(unknownOptions, Origin(blog))), ("second", "0")], "/signin"))
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.False(await SignedInAsync(unknown));
    }

    [Fact]
    public async Task A_host_the_console_was_not_configured_with_gets_no_options()
    {
        using var folder = new TempFolder();
        await using var blog = await StartAsync(folder);
        using var visitor = ConsoleSession.Anonymous(blog, Console(blog));
        // A name the console was not given is refused before any page or ceremony (ConsoleHosts: DNS rebinding).
        var (status, _) = await OptionsAsync(visitor, "/signin/passkey/options", "/signin", host: $"evil.example:{Console(blog).Port}");
        Assert.Equal(HttpStatusCode.MisdirectedRequest, status);
        // An IP address cannot be a relying party: the page says to use the name instead.
        using var byAddress = ConsoleSession.Anonymous(blog);
        var (ipStatus, ipBody) = await OptionsAsync(byAddress, "/signin/passkey/options", "/signin");
        Assert.Equal(HttpStatusCode.BadRequest, ipStatus);
        Assert.Contains("localhost", ipBody, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_counter_that_goes_back_is_refused_as_a_cloned_key_and_logged()
    {
        using var folder = new TempFolder();
        await using var blog = await StartAsync(folder);
        using var owner = await ConsoleSession.SignInAsync(blog, consoleAddress: Console(blog));
        using var key = new SoftwareAuthenticator { Counter = 5 };
        await RegisterAsync(blog, owner, key, "laptop");
        key.Counter = 6;
        using var visitor = ConsoleSession.Anonymous(blog, Console(blog));
        using (var signedIn = await SignInWithAsync(blog, visitor, key))
            Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);

        // A copy of the key, still at 6 (or one that stops counting): refused.
        foreach (var count in new uint[] { 6, 0 })
        {
            key.Counter = count;
            using var clone = ConsoleSession.Anonymous(blog, Console(blog));
            using (var refused = await SignInWithAsync(blog, clone, key))
                Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
            Assert.False(await SignedInAsync(clone));
        }
        Assert.Equal(2, blog.Log.Count("may be a copy of the key", Microsoft.Extensions.Logging.LogLevel.Error));
    }

    [Fact]
    public async Task An_account_requiring_a_passkey_needs_it_after_the_password_and_removing_the_last_one_lifts_that()
    {
        using var folder = new TempFolder();
        await using var blog = await StartAsync(folder);
        using var owner = await ConsoleSession.SignInAsync(blog, consoleAddress: Console(blog));
        using (var early = await owner.PostFormAsync("/account/passkeys/require", [("require", "1")]))
            Assert.Equal(HttpStatusCode.Conflict, early.StatusCode);

        using var key = new SoftwareAuthenticator();
        await RegisterAsync(blog, owner, key, "laptop");
        using (var required = await owner.PostFormAsync("/account/passkeys/require", [("require", "1")]))
            Assert.Equal(HttpStatusCode.Redirect, required.StatusCode);
        Assert.Contains("A passkey is required", await owner.GetStringAsync("/account"), StringComparison.Ordinal);

        // The password alone leads to the passkey step, and no further.
        using var visitor = ConsoleSession.Anonymous(blog, Console(blog));
        using (var password = await visitor.SignInAsync(ConsoleSession.DefaultName, ConsoleSession.DefaultPassword))
            Assert.Equal("/signin/passkey", new Uri(Console(blog), password.Headers.Location!).AbsolutePath);
        Assert.False(await SignedInAsync(visitor));
        // A key that is not the account's does not finish it.
        using var otherKey = new SoftwareAuthenticator();
        using (var wrong = await SignInWithAsync(blog, visitor, otherKey, second: true))
            Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.False(await SignedInAsync(visitor));
        using (var both = await SignInWithAsync(blog, visitor, key, second: true))
            Assert.Equal(HttpStatusCode.Redirect, both.StatusCode);
        Assert.True(await SignedInAsync(visitor));

        var id = System.Buffers.Text.Base64Url.EncodeToString(key.CredentialId);
        using (var removed = await owner.PostFormAsync("/account/passkeys/remove", [("id", id)]))
            Assert.Equal(HttpStatusCode.Redirect, removed.StatusCode);
        var account = await blog.Service<IAdminAccounts>().FindAsync(ConsoleSession.DefaultName, CancellationToken.None);
        Assert.False(account!.RequirePasskey);
        using var later = ConsoleSession.Anonymous(blog, Console(blog));
        using (var password = await later.SignInAsync(ConsoleSession.DefaultName, ConsoleSession.DefaultPassword))
            Assert.Equal("/", new Uri(Console(blog), password.Headers.Location!).AbsolutePath);
    }

    [Fact]
    public async Task A_passkey_signs_in_a_locked_account_and_clears_the_lock()
    {
        // Anyone can lock the account by guessing passwords; a passkey cannot be guessed, so it is the owner's way back in.
        using var folder = new TempFolder();
        await using var blog = await StartAsync(folder);
        using var owner = await ConsoleSession.SignInAsync(blog, consoleAddress: Console(blog));
        using var key = new SoftwareAuthenticator();
        await RegisterAsync(blog, owner, key, "laptop");
        var accounts = blog.Service<IAdminAccounts>();
        var account = await accounts.FindAsync(ConsoleSession.DefaultName, CancellationToken.None);
        await accounts.RecordFailureAsync(account!.Id, new SignInLimits(1, TimeSpan.FromHours(1)), DateTimeOffset.UtcNow, CancellationToken.None);
        Assert.True((await accounts.FindAsync(account.Id, CancellationToken.None))!.IsLocked(DateTimeOffset.UtcNow));

        using var visitor = ConsoleSession.Anonymous(blog, Console(blog));
        using (var signedIn = await SignInWithAsync(blog, visitor, key, second: false))
            Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        Assert.True(await SignedInAsync(visitor));
        Assert.False((await accounts.FindAsync(account.Id, CancellationToken.None))!.IsLocked(DateTimeOffset.UtcNow));
    }

    [Fact]
    public async Task Without_the_script_the_forms_say_a_passkey_needs_it_and_change_nothing()
    {
        using var folder = new TempFolder();
        await using var blog = await StartAsync(folder);
        using var owner = await ConsoleSession.SignInAsync(blog, consoleAddress: Console(blog));
        using var added = await owner.PostFormAsync("/account/passkeys", [("credential", ""), ("name", "laptop")]);
        Assert.Equal(HttpStatusCode.BadRequest, added.StatusCode);
        Assert.Contains("JavaScript", await added.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var account = await blog.Service<IAdminAccounts>().FindAsync(ConsoleSession.DefaultName, CancellationToken.None);
        Assert.Empty(await blog.Service<IPasskeyStore>().ListAsync(account!.Id, CancellationToken.None));
    }
}

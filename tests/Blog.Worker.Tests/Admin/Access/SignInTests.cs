using System.Net;
using Blog.Admin.Access;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Blog.Tests.Admin.Access;

/// <summary>Signing in to the console over real HTTP: the session, its cookie, lockout, sign-out everywhere and the antiforgery check.</summary>
public sealed class SignInTests
{
    internal static async Task<RunningBlog> StartAsync(TempFolder folder, TimeProvider? time = null, params string[] settings)
    {
        folder.Write("posts/a.md", PostText.Of("A", "2026-01-01"));
        return await RunningBlog.StartAsync(folder.Combine("posts"), folder.Combine("out"), selfLinked: false, time, settings);
    }

    private static string Path(RunningBlog blog, HttpResponseMessage response) => new Uri(blog.ConsoleAddress, response.Headers.Location!).AbsolutePath;

    [Fact]
    public async Task The_right_password_opens_a_session_and_the_account_page_names_the_owner()
    {
        using var folder = new TempFolder();
        await using var blog = await StartAsync(folder);
        using var anonymous = ConsoleSession.Anonymous(blog);
        var refused = await anonymous.GetAsync("/account");
        Assert.Equal(HttpStatusCode.Redirect, refused.StatusCode);
        Assert.Equal("/signin", Path(blog, refused));

        using var session = await ConsoleSession.SignInAsync(blog);
        var account = await session.GetStringAsync("/account");
        Assert.Contains("Signed in as <strong>owner</strong>", account, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_session_cookie_is_HttpOnly_SameSite_Strict_and_Secure_whenever_the_request_is_HTTPS()
    {
        using var folder = new TempFolder();
        await using var blog = await StartAsync(folder, null, "--Admin:SessionIdleTimeout=02:00:00");
        await ConsoleSession.AccountAsync(blog);
        using var session = ConsoleSession.Anonymous(blog);
        var signedIn = await session.SignInAsync(ConsoleSession.DefaultName, ConsoleSession.DefaultPassword);
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        var cookie = Assert.Single(signedIn.Headers.GetValues("Set-Cookie"), c => c.StartsWith("blog-console=", StringComparison.Ordinal)).ToLowerInvariant();
        Assert.Contains("httponly", cookie, StringComparison.Ordinal);
        Assert.Contains("samesite=strict", cookie, StringComparison.Ordinal);
        Assert.Contains("path=/", cookie, StringComparison.Ordinal);
        // Plain HTTP here (a loopback tunnel): a Secure cookie would never come back.
        Assert.DoesNotContain("secure", cookie, StringComparison.Ordinal);

        // Over HTTPS (or behind a proxy that says so) the same settings make it Secure; the idle time slides.
        var options = blog.Service<IOptionsMonitor<CookieAuthenticationOptions>>().Get(AccessPages.Scheme);
        Assert.Equal(CookieSecurePolicy.SameAsRequest, options.Cookie.SecurePolicy);
        Assert.Equal((true, SameSiteMode.Strict, TimeSpan.FromHours(2), true), (options.Cookie.HttpOnly, options.Cookie.SameSite, options.ExpireTimeSpan, options.SlidingExpiration));
        var form = blog.Service<IOptions<Microsoft.AspNetCore.Antiforgery.AntiforgeryOptions>>().Value.Cookie;
        Assert.Equal((true, SameSiteMode.Strict, CookieSecurePolicy.SameAsRequest), (form.HttpOnly, form.SameSite, form.SecurePolicy));
    }

    [Fact]
    public async Task A_wrong_password_is_told_in_general_words_and_failures_lock_the_account_and_separately_the_client()
    {
        using var folder = new TempFolder();
        // Under a public path, clients are told apart by the address a trusted (loopback) proxy forwards.
        await using var blog = await StartAsync(folder, null, "--Admin:PublicPath=/admin", "--Admin:MaxFailedSignIns=2", "--Admin:LockoutTime=00:10:00");
        await ConsoleSession.AccountAsync(blog);
        await ConsoleSession.AccountAsync(blog, "second");
        ConsoleSession From(string address)
        {
            var session = ConsoleSession.Anonymous(blog, new Uri(blog.BaseAddress, "admin/"));
            session.Client.DefaultRequestHeaders.Add("X-Forwarded-For", address);
            return session;
        }
        using var a = From("203.0.113.1");
        using var b = From("203.0.113.2");
        using var c = From("203.0.113.3");

        var wrong = await a.SignInAsync("owner", "not the password");
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.Contains("Wrong name or password.", await wrong.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var nobody = await b.SignInAsync("nobody", "not the password");
        Assert.Equal(HttpStatusCode.Unauthorized, nobody.StatusCode);
        Assert.Contains("Wrong name or password.", await nobody.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // The account's second failure in a row locks it, from any client, even with the right password.
        var locked = await c.SignInAsync("owner", "still not it");
        Assert.Equal(HttpStatusCode.TooManyRequests, locked.StatusCode);
        Assert.Matches("Too many failed sign-ins. Try again after [0-9]{2}:[0-9]{2} UTC \\(in 10 minutes\\)", await locked.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.TooManyRequests, (await c.SignInAsync("owner", ConsoleSession.DefaultPassword)).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await c.SignInAsync("second", ConsoleSession.DefaultPassword)).StatusCode);

        // Client b's second failure, under any name, locks b: not even the other account signs in from there.
        Assert.Equal(HttpStatusCode.TooManyRequests, (await b.SignInAsync("someone", "guess")).StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await b.SignInAsync("second", ConsoleSession.DefaultPassword)).StatusCode);
    }

    [Fact]
    public async Task On_the_console_listener_the_client_is_the_peer_address_whatever_X_Forwarded_For_claims()
    {
        // The console listener is loopback: any local process could claim any X-Forwarded-For, to dodge its lock or lock others.
        using var folder = new TempFolder();
        await using var blog = await StartAsync(folder, null, "--Admin:MaxFailedSignIns=5", "--Admin:LockoutTime=00:10:00");
        for (var i = 0; i < 5; i++)
        {
            using var spoofer = ConsoleSession.Anonymous(blog);
            spoofer.Client.DefaultRequestHeaders.Add("X-Forwarded-For", $"203.0.113.{i + 1}");
            await spoofer.SignInAsync($"nobody{i}", "guess");
        }
        using var plain = ConsoleSession.Anonymous(blog);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await plain.SignInAsync("someone", "guess")).StatusCode);
    }

    [Fact]
    public async Task A_post_without_the_antiforgery_field_is_refused_and_changes_nothing()
    {
        using var folder = new TempFolder();
        await using var blog = await StartAsync(folder);
        var owner = await ConsoleSession.AccountAsync(blog);

        // Signing in without the field: refused, no session.
        using var forger = ConsoleSession.Anonymous(blog);
        using var bare = new FormUrlEncodedContent([new("name", ConsoleSession.DefaultName), new("password", ConsoleSession.DefaultPassword)]);
        var signIn = await forger.Client.PostAsync("signin", bare);
        Assert.Equal(HttpStatusCode.BadRequest, signIn.StatusCode);
        Assert.False(signIn.Headers.TryGetValues("Set-Cookie", out var cookies) && cookies.Any(c => c.StartsWith("blog-console=", StringComparison.Ordinal)));

        // A signed-in owner's browser made to post by another site: the cookie goes along, the field does not.
        using var session = await ConsoleSession.SignInAsync(blog);
        using var forged = new FormUrlEncodedContent([]);
        var everywhere = await session.Client.PostAsync("account/signout-everywhere", forged);
        Assert.Equal(HttpStatusCode.BadRequest, everywhere.StatusCode);
        Assert.Contains("This form was not sent from this console", await everywhere.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(owner.SecurityStamp, await blog.Service<IAdminAccounts>().StampAsync(owner.Id, CancellationToken.None));
        Assert.Equal(HttpStatusCode.OK, (await session.GetAsync("/account")).StatusCode);

        // A body far larger than any console form is refused unread.
        using var huge = new FormUrlEncodedContent([new("x", new string('x', 2 << 20))]);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, (await session.Client.PostAsync("account/password", huge)).StatusCode);
    }

    [Fact]
    public async Task Sign_out_everywhere_ends_the_sessions_of_every_client_and_a_removed_account_has_none()
    {
        using var folder = new TempFolder();
        await using var blog = await StartAsync(folder);
        using var laptop = await ConsoleSession.SignInAsync(blog);
        using var phone = await ConsoleSession.SignInAsync(blog);
        Assert.Equal(HttpStatusCode.OK, (await phone.GetAsync("/account")).StatusCode);

        var everywhere = await laptop.PostFormAsync("/account/signout-everywhere", []);
        Assert.Equal(HttpStatusCode.Redirect, everywhere.StatusCode);
        Assert.Equal("/signin", Path(blog, everywhere));
        Assert.Equal(HttpStatusCode.Redirect, (await phone.GetAsync("/account")).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await laptop.GetAsync("/account")).StatusCode);

        // Signing in again works; removing the account ends that session too.
        using var again = await ConsoleSession.SignInAsync(blog);
        Assert.Equal(HttpStatusCode.OK, (await again.GetAsync("/account")).StatusCode);
        Assert.True(await blog.Service<IAdminAccounts>().RemoveAsync("owner", CancellationToken.None));
        // Removed from another process (blog admin remove-user): this node reads the stamp again within seconds.
        await Eventually.Until(async () => (await again.GetAsync("/account")).StatusCode == HttpStatusCode.Redirect, "the removed account's session to end", 10);
    }

    [Fact]
    public async Task A_new_password_ends_the_other_sessions_and_keeps_this_one()
    {
        using var folder = new TempFolder();
        await using var blog = await StartAsync(folder);
        using var here = await ConsoleSession.SignInAsync(blog);
        using var elsewhere = await ConsoleSession.SignInAsync(blog);

        var wrong = await here.PostFormAsync("/account/password", [("current", "not it at all"), ("password", "a brand new password"), ("confirm", "a brand new password")]);
        Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);
        Assert.Contains("The current password is wrong.", await wrong.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var shortOne = await here.PostFormAsync("/account/password", [("current", ConsoleSession.DefaultPassword), ("password", "short"), ("confirm", "short")]);
        Assert.Contains("At least 12", await shortOne.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);

        var changed = await here.PostFormAsync("/account/password",
            [("current", ConsoleSession.DefaultPassword), ("password", "a brand new password"), ("confirm", "a brand new password")]);
        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        Assert.Contains("Password changed.", await changed.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await here.GetAsync("/account")).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await elsewhere.GetAsync("/account")).StatusCode);
        using var fresh = ConsoleSession.Anonymous(blog);
        Assert.Equal(HttpStatusCode.Unauthorized, (await fresh.SignInAsync("owner", ConsoleSession.DefaultPassword)).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await fresh.SignInAsync("owner", "a brand new password")).StatusCode);
    }

    [Fact]
    public async Task A_locked_account_cannot_change_its_password_even_with_the_right_one()
    {
        // The lock stops guessing by any way in: a left-open session must not verify passwords while it holds.
        using var folder = new TempFolder();
        await using var blog = await StartAsync(folder);
        using var session = await ConsoleSession.SignInAsync(blog);
        var accounts = blog.Service<IAdminAccounts>();
        var owner = await accounts.FindAsync(ConsoleSession.DefaultName, CancellationToken.None);
        await accounts.RecordFailureAsync(owner!.Id, new SignInLimits(1, TimeSpan.FromHours(1)), DateTimeOffset.UtcNow, CancellationToken.None);

        var refused = await session.PostFormAsync("/account/password",
            [("current", ConsoleSession.DefaultPassword), ("password", "a brand new password"), ("confirm", "a brand new password")]);
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Contains("locked", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.True(await accounts.VerifyPasswordAsync(owner.Id, ConsoleSession.DefaultPassword, CancellationToken.None));
    }

    [Fact]
    public async Task A_session_left_idle_past_the_idle_timeout_ends()
    {
        using var folder = new TempFolder();
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var blog = await StartAsync(folder, time, "--Admin:SessionIdleTimeout=00:30:00");
        using var session = await ConsoleSession.SignInAsync(blog);
        time.Advance(TimeSpan.FromMinutes(20));
        Assert.Equal(HttpStatusCode.OK, (await session.GetAsync("/account")).StatusCode);
        time.Advance(TimeSpan.FromMinutes(31));
        Assert.Equal(HttpStatusCode.Redirect, (await session.GetAsync("/account")).StatusCode);
    }

    [Fact]
    public async Task A_sign_in_link_returns_to_the_console_page_asked_for_and_never_to_another_site()
    {
        using var folder = new TempFolder();
        await using var blog = await StartAsync(folder);
        await ConsoleSession.AccountAsync(blog);
        using var session = ConsoleSession.Anonymous(blog);
        var back = await session.PostFormAsync("/signin", [("name", "owner"), ("password", ConsoleSession.DefaultPassword), ("returnUrl", "/account")], "/signin");
        Assert.Equal("/account", back.Headers.Location!.OriginalString);
        using var other = ConsoleSession.Anonymous(blog);
        var away = await other.PostFormAsync("/signin", [("name", "owner"), ("password", ConsoleSession.DefaultPassword), ("returnUrl", "//evil.example/")], "/signin");
        Assert.Equal("/", away.Headers.Location!.OriginalString);
    }
}

using System.Net;
using Blog.MailingList;
using Blog.Subscriptions;

namespace Blog.Tests.Subscriptions;

/// <summary>The sign-up, confirmation, unsubscribe and preferences pages over real HTTP, with mail read from the pickup folder.</summary>
public sealed class SubscriptionEndpointsTests(SubscriptionSite site) : IClassFixture<SubscriptionSite>
{
    private RunningBlog Blog => site.Blog;

    [Fact]
    public async Task The_sign_up_form_offers_the_cadences_and_the_blogs_tags_and_a_hidden_honeypot()
    {
        using var response = await Blog.Client.GetAsync("subscribe");
        var html = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html; charset=utf-8", response.Content.Headers.ContentType!.ToString());
        Assert.Contains("<label for=\"email\">Email address</label>", html, StringComparison.Ordinal);
        Assert.Contains("value=\"daily\"", html, StringComparison.Ordinal);
        Assert.Contains("value=\"weekly\" checked", html, StringComparison.Ordinal);
        Assert.Contains("name=\"tags\" value=\"evals\"", html, StringComparison.Ordinal);
        Assert.Contains("name=\"website\" tabindex=\"-1\"", html, StringComparison.Ordinal);
        Assert.Equal("no-referrer", response.Headers.GetValues("Referrer-Policy").Single());
    }

    [Fact]
    public async Task Sign_up_mails_a_confirmation_whose_link_activates_the_subscriber()
    {
        using var signUp = await site.PostFormAsync("subscribe", ("email", "Confirm.Me@Example.COM"), ("cadence", "daily"), ("tags", "evals"), ("tags", "rag"));
        Assert.Equal(HttpStatusCode.OK, signUp.StatusCode);
        Assert.Contains("Check your inbox", await signUp.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        await site.SettledAsync();
        var pending = await site.FindAsync("Confirm.Me@example.com");
        Assert.Equal((SubscriberStatus.Pending, "daily"), (pending!.Status, pending.Cadence));
        Assert.Equal<string>(["evals", "rag"], pending.Tags);

        var mail = await Blog.Mail.WaitForAsync("Confirm.Me@example.com");
        Assert.Matches($@"^confirm\.{pending.Id}\.\d+\.[a-z2-7]{{16}}@blog\.example\.com$", mail.MessageId);
        Assert.StartsWith($"<{Blog.BaseAddress}unsubscribe?token=u.{pending.Id}.", mail.Headers["List-Unsubscribe"], StringComparison.Ordinal);
        Assert.Equal("List-Unsubscribe=One-Click", mail.Headers["List-Unsubscribe-Post"]);

        using var confirm = await site.ConfirmAsync(PickupMail.Link(mail, "confirm"));
        var page = await confirm.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, confirm.StatusCode);
        Assert.Contains("You are subscribed", page, StringComparison.Ordinal);
        Assert.Contains($"preferences?token=p.{pending.Id}.", page, StringComparison.Ordinal);
        var active = await site.FindAsync("Confirm.Me@example.com");
        Assert.Equal(SubscriberStatus.Active, active!.Status);
        Assert.NotNull(active.ConfirmedAt);

        // Opening the link again is not an error: it says so, with nothing to press.
        using var again = await Blog.Client.GetAsync(PickupMail.Link(mail, "confirm"));
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Contains("You are subscribed", await again.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        using var pressedAgain = await Blog.Client.PostAsync(PickupMail.Link(mail, "confirm"), null);
        Assert.Equal(HttpStatusCode.OK, pressedAgain.StatusCode);
    }

    [Fact]
    public async Task Opening_the_confirmation_link_as_a_link_scanner_does_confirms_nothing_until_the_button_is_pressed()
    {
        using (await site.PostFormAsync("subscribe", ("email", "scanned@example.com"))) { }
        var mail = await Blog.Mail.WaitForAsync("scanned@example.com");
        var link = PickupMail.Link(mail, "confirm");

        // A mail filter opens every link in a mail, with GET and HEAD.
        using var head = await Blog.Client.SendAsync(new HttpRequestMessage(HttpMethod.Head, link));
        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        using var get = await Blog.Client.GetAsync(link);
        var html = await get.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, get.StatusCode);
        Assert.Contains("<button type=\"submit\">Confirm</button>", html, StringComparison.Ordinal);
        Assert.Contains("scanned@example.com", html, StringComparison.Ordinal);
        Assert.Equal(SubscriberStatus.Pending, (await site.FindAsync("scanned@example.com"))!.Status);

        // The button's POST carries the token: no cookie, no script.
        using var pressed = await Blog.Client.PostAsync(new Uri(link, SubscriptionSite.FormAction(html)), null);
        Assert.Equal(HttpStatusCode.OK, pressed.StatusCode);
        Assert.Contains("You are subscribed", await pressed.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(SubscriberStatus.Active, (await site.FindAsync("scanned@example.com"))!.Status);
    }

    [Fact]
    public async Task The_answer_never_shows_whether_an_address_was_already_on_the_list()
    {
        using var first = await site.PostFormAsync("subscribe", ("email", "known@example.com"));
        var firstPage = await first.Content.ReadAsStringAsync();
        await site.SubscribeAsync("known@example.com");
        using var second = await site.PostFormAsync("subscribe", ("email", "known@example.com"));
        Assert.Equal(first.StatusCode, second.StatusCode);
        Assert.Equal(firstPage, await second.Content.ReadAsStringAsync());
        // And an active subscriber is not mailed again.
        await site.QuietAsync();
        Assert.Single(Blog.Mail.To("known@example.com"));
    }

    [Fact]
    public async Task Signing_up_again_within_the_hour_sends_no_second_confirmation()
    {
        for (var i = 0; i < 3; i++) (await site.PostFormAsync("subscribe", ("email", "eager@example.com"))).Dispose();
        await site.QuietAsync();
        Assert.Single(Blog.Mail.To("eager@example.com"));
    }

    [Fact]
    public async Task One_click_unsubscribe_is_a_bare_POST_with_no_cookies_and_no_page_visit()
    {
        var subscriber = await site.SubscribeAsync("oneclick@example.com");
        var mail = Blog.Mail.To("oneclick@example.com").Single();
        var url = PickupMail.Unsubscribe(mail);

        // What a mail client does (RFC 8058): a POST to the https URI with exactly this body, nothing else.
        using var client = new HttpClient(new SocketsHttpHandler { UseCookies = false });
        using var body = new StringContent("List-Unsubscribe=One-Click", System.Text.Encoding.ASCII, "application/x-www-form-urlencoded");
        using var response = await client.PostAsync(url, body);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False(response.Headers.Contains("Set-Cookie"));
        var left = await site.Store.FindAsync(subscriber.Id, CancellationToken.None);
        Assert.Equal(SubscriberStatus.Unsubscribed, left!.Status);
    }

    [Fact]
    public async Task The_unsubscribe_page_asks_with_one_button_and_links_the_preferences()
    {
        var subscriber = await site.SubscribeAsync("asker@example.com");
        var link = PickupMail.Unsubscribe(Blog.Mail.To("asker@example.com").Single());
        using var page = await Blog.Client.GetAsync(link);
        var html = await page.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("<button type=\"submit\">Unsubscribe</button>", html, StringComparison.Ordinal);
        Assert.Contains("preferences?token=p.", html, StringComparison.Ordinal);
        // Looking is not leaving.
        Assert.Equal(SubscriberStatus.Active, (await site.Store.FindAsync(subscriber.Id, CancellationToken.None))!.Status);
    }

    [Fact]
    public async Task Tampered_unknown_expired_and_misused_tokens_get_a_400_page_and_change_nothing()
    {
        var subscriber = await site.SubscribeAsync("victim@example.com");
        var tokens = Blog.Service<SubscriberTokens>();
        var unsubscribe = tokens.Unsubscribe(subscriber);
        string[] bad =
        [
            unsubscribe[..^1] + (unsubscribe[^1] == 'A' ? 'B' : 'A'),
            tokens.Unsubscribe(999_999),
            tokens.Preferences(subscriber),
            tokens.Unsubscribe(subscriber.Id), // without the subscriber's link key: made for whoever had the id before
            tokens.Confirm(subscriber.Id, DateTimeOffset.UtcNow.AddHours(1)), // the same, for the confirmation page (GET too)
            "",
            "u.1.%00%0d%0a",
        ];
        foreach (var token in bad)
        {
            foreach (var method in new[] { HttpMethod.Get, HttpMethod.Post })
            {
                foreach (var page in new[] { "unsubscribe", "preferences", "confirm" })
                {
                    if (page == "preferences" && token == tokens.Preferences(subscriber)) continue;
                    using var request = new HttpRequestMessage(method, $"{page}?token={token}");
                    if (method == HttpMethod.Post) request.Content = new FormUrlEncodedContent([KeyValuePair.Create("cadence", "daily")]);
                    using var response = await Blog.Client.SendAsync(request);
                    Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{method} {page}?token={token}: {response.StatusCode}");
                    Assert.Contains("This link does not work", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
                }
            }
        }
        var expired = tokens.Confirm(subscriber, DateTimeOffset.UtcNow.AddMinutes(-1));
        using (var response = await Blog.Client.GetAsync($"confirm?token={expired}"))
            Assert.Equal(HttpStatusCode.OK, response.StatusCode); // already active: an old link just says so

        var after = await site.Store.FindAsync(subscriber.Id, CancellationToken.None);
        Assert.Equal(subscriber, after);
    }

    [Fact]
    public async Task An_expired_confirmation_for_a_pending_subscriber_gets_400_and_does_not_activate()
    {
        using (await site.PostFormAsync("subscribe", ("email", "slow@example.com"))) { }
        await site.SettledAsync();
        var pending = (await site.FindAsync("slow@example.com"))!;
        var expired = Blog.Service<SubscriberTokens>().Confirm(pending, DateTimeOffset.UtcNow.AddSeconds(-1));
        foreach (var method in new[] { HttpMethod.Get, HttpMethod.Post })
        {
            using var response = await Blog.Client.SendAsync(new HttpRequestMessage(method, $"confirm?token={expired}"));
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Contains("expired", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
        Assert.Equal(SubscriberStatus.Pending, (await site.FindAsync("slow@example.com"))!.Status);
    }

    [Fact]
    public async Task A_confirmation_link_cannot_bring_back_someone_who_left()
    {
        var subscriber = await site.SubscribeAsync("leaver@example.com");
        var confirm = PickupMail.Link(Blog.Mail.To("leaver@example.com").Single(), "confirm");
        (await Blog.Client.PostAsync($"unsubscribe?token={Blog.Service<SubscriberTokens>().Unsubscribe(subscriber)}", null)).Dispose();
        using var response = await Blog.Client.GetAsync(confirm);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var pressed = await Blog.Client.PostAsync(confirm, null);
        Assert.Equal(HttpStatusCode.BadRequest, pressed.StatusCode);
        Assert.Equal(SubscriberStatus.Unsubscribed, (await site.FindAsync("leaver@example.com"))!.Status);
    }

    [Fact]
    public async Task Preferences_show_the_current_choices_and_save_new_ones()
    {
        var subscriber = await site.SubscribeAsync("prefs@example.com", ("cadence", "weekly"), ("tags", "evals"));
        var url = $"preferences?token={Blog.Service<SubscriberTokens>().Preferences(subscriber)}";
        var html = await Blog.Client.GetStringAsync(url);
        Assert.Contains("value=\"weekly\" checked", html, StringComparison.Ordinal);
        Assert.Contains("value=\"evals\" checked", html, StringComparison.Ordinal);

        using var saved = await site.PostFormAsync(url, ("cadence", "daily"), ("tags", "rag"), ("tags", "agents"));
        Assert.Equal(HttpStatusCode.OK, saved.StatusCode);
        Assert.Contains("Saved.", await saved.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var after = (await site.FindAsync("prefs@example.com"))!;
        Assert.Equal((SubscriberStatus.Active, "daily"), (after.Status, after.Cadence));
        Assert.Equal<string>(["agents", "rag"], after.Tags);

        using var wrong = await site.PostFormAsync(url, ("cadence", "hourly"), ("tags", "cooking"));
        var page = await wrong.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);
        Assert.Contains("unknown cadence &quot;hourly&quot;; the cadences are daily, weekly", page, StringComparison.Ordinal);
        Assert.Contains("unknown tag &quot;cooking&quot;", page, StringComparison.Ordinal);
        Assert.Equal(after, await site.FindAsync("prefs@example.com"));
    }

    [Theory]
    [InlineData("not an address", "Email address: an address needs a name, @ and a domain")]
    [InlineData("Ann <ann@example.com>", "Email address: this is not a valid email address")]
    [InlineData("a@b.com\r\nBcc: x@y.com", "Email address: the address contains a line break")]
    [InlineData("\"><script>alert(1)</script>@example.com", "Email address:")]
    public async Task A_bad_address_gets_the_form_back_with_the_reason_and_every_value_escaped(string address, string reason)
    {
        using var response = await site.PostFormAsync("subscribe", ("email", address), ("cadence", "yearly<b>"));
        var html = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(reason, html, StringComparison.Ordinal);
        Assert.Contains("How often: unknown cadence &quot;yearly&lt;b&gt;&quot;", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<b>", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_filled_honeypot_looks_like_success_but_stores_and_sends_nothing()
    {
        using var response = await site.PostFormAsync("subscribe", ("email", "bot@example.com"), ("website", "http://spam.example"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Check your inbox", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        await site.QuietAsync();
        Assert.Null(await site.FindAsync("bot@example.com"));
        Assert.Empty(Blog.Mail.To("bot@example.com"));
    }

    [Fact]
    public async Task An_oversized_body_gets_413_with_or_without_a_length()
    {
        var big = "email=a%40example.com&website=&x=" + new string('a', 20_000);
        using (var sized = new StringContent(big, System.Text.Encoding.ASCII, "application/x-www-form-urlencoded"))
        using (var response = await Blog.Client.PostAsync("subscribe", sized))
            Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);

        using var chunked = new StreamContent(new MemoryStream(System.Text.Encoding.ASCII.GetBytes(big)));
        chunked.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/x-www-form-urlencoded");
        using var request = new HttpRequestMessage(HttpMethod.Post, "subscribe") { Content = chunked };
        request.Headers.TransferEncodingChunked = true;
        using var unsized = await Blog.Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, unsized.StatusCode);
        await site.QuietAsync();
        Assert.Null(await site.FindAsync("a@example.com"));
    }

    [Theory]
    [InlineData(300)] // "Multipart boundary length limit 128 exceeded.": a few bytes of malformed form, not too much data
    [InlineData(20)] // a multipart body that ends before its first boundary
    public async Task A_small_form_the_reader_refuses_gets_400_not_413_or_500_whatever_its_error_says(int boundary)
    {
        using var content = new ByteArrayContent(System.Text.Encoding.ASCII.GetBytes("email=a%40example.com"));
        content.Headers.TryAddWithoutValidation("Content-Type", "multipart/form-data; boundary=" + new string('b', boundary));
        using var response = await Blog.Client.PostAsync("subscribe", content);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("The form could not be read.", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Feeds_are_still_served_beside_the_pages()
    {
        using var feed = await Blog.Client.GetAsync("feed.xml");
        Assert.Equal(HttpStatusCode.OK, feed.StatusCode);
        using var missing = await Blog.Client.GetAsync("subscribe/nothing-here");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }
}

using System.Net;
using System.Text.RegularExpressions;
using Blog.Digests;
using Blog.Feedback;
using Blog.MailingList;
using Blog.Storage;
using Blog.Tests.Support;

namespace Blog.Tests.Admin.Subscribers;

/// <summary>
/// The console's subscriber pages over real HTTP, signed in: the search and its filters, a subscriber's page with its
/// deliveries and reports, and each action changing exactly what it says and nothing else.
/// </summary>
public sealed partial class SubscriberPagesTests : IAsyncLifetime
{
    private readonly TempFolder folder = new();
    private RunningBlog blog = null!;
    private ConsoleSession session = null!;

    private ISubscriberStore Store => blog.Service<ISubscriberStore>();

    public async Task InitializeAsync()
    {
        folder.Write("posts/a.md", PostText.Of("A", "2026-01-01", extra: "tags: [go, rust]"));
        blog = await RunningBlog.StartAsync(folder.Combine("posts"), folder.Combine("out"), "--Mail:PollInterval=00:00:00.200");
        session = await ConsoleSession.SignInAsync(blog);
    }

    public async Task DisposeAsync()
    {
        session.Dispose();
        await blog.DisposeAsync();
        folder.Dispose();
    }

    private async Task<Subscriber> AddAsync(string address, SubscriberStatus status = SubscriberStatus.Active, string cadence = "weekly", params string[] tags)
    {
        await Store.ImportAsync([TestSubscriptions.Draft(address, status, cadence, tags)], DateTimeOffset.UtcNow, null, null, CancellationToken.None);
        return (await Store.FindAsync(EmailAddress.Parse(address), CancellationToken.None))!;
    }

    /// <summary>The subscribers a list page links to, in order.</summary>
    private static List<long> Listed(string html) =>
        [.. SubscriberLink().Matches(html).Select(m => long.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture))];

    private async Task ExecuteAsync(string sql)
    {
        await using var connection = await blog.Service<Database>().OpenAsync(CancellationToken.None);
        await using var command = connection.Command(sql);
        await command.ExecuteNonQueryAsync();
    }

    private static string Path(Subscriber s, string action = "") => $"/subscribers/{s.Id}{action}";

    [Fact]
    public async Task The_search_and_each_filter_list_the_matching_subscribers_and_bad_input_is_named()
    {
        var ann = await AddAsync("ann@example.com", SubscriberStatus.Active, "weekly", "go");
        var bob = await AddAsync("bob@example.org", SubscriberStatus.Pending, "daily");
        var carol = await AddAsync("carol@annex.net", SubscriberStatus.Unsubscribed, "weekly", "rust");

        Assert.Equal([ann.Id, bob.Id, carol.Id], Listed(await session.GetStringAsync("/subscribers")));
        Assert.Equal([ann.Id, carol.Id], Listed(await session.GetStringAsync("/subscribers?q=ANN")));
        Assert.Equal([bob.Id], Listed(await session.GetStringAsync("/subscribers?status=pending")));
        Assert.Equal([bob.Id], Listed(await session.GetStringAsync("/subscribers?cadence=daily")));
        Assert.Equal([carol.Id], Listed(await session.GetStringAsync("/subscribers?tag=rust")));
        Assert.Equal([ann.Id], Listed(await session.GetStringAsync("/subscribers?q=example&status=active&cadence=weekly&tag=go")));
        var form = await session.GetStringAsync("/subscribers?q=%3Cb%3E&status=active");
        Assert.Contains("value=\"&lt;b&gt;\"", form, StringComparison.Ordinal);
        Assert.Contains("<option value=\"active\" selected>", form, StringComparison.Ordinal);

        using var bad = await session.GetAsync("/subscribers?status=gone");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("Status: unknown status &quot;gone&quot;", await bad.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        using var tooLong = await session.GetAsync("/subscribers?q=" + new string('x', SubscriberSearch.MaxTermLength + 1));
        Assert.Equal(HttpStatusCode.BadRequest, tooLong.StatusCode);
        Assert.Contains("Address contains: longer than 254 characters", await tooLong.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Next_and_previous_links_carry_the_last_id_and_walk_the_list()
    {
        var ids = new List<long>();
        for (var i = 0; i < 60; i++) ids.Add((await AddAsync($"p{i:D2}@example.com")).Id);

        var first = await session.GetStringAsync("/subscribers?status=active");
        Assert.Equal(ids[..50], Listed(first));
        var next = WebUtility.HtmlDecode(NextLink().Match(first).Groups[1].Value);
        Assert.EndsWith($"status=active&after={ids[49]}", next, StringComparison.Ordinal);
        var second = await session.GetStringAsync(next);
        Assert.Equal(ids[50..], Listed(second));
        Assert.DoesNotMatch(NextLink(), second);
        var previous = WebUtility.HtmlDecode(PreviousLink().Match(second).Groups[1].Value);
        Assert.EndsWith($"before={ids[50]}", previous, StringComparison.Ordinal);
        Assert.Equal(ids[..50], Listed(await session.GetStringAsync(previous)));
    }

    [Fact]
    public async Task A_subscribers_page_shows_deliveries_with_the_servers_words_and_reports_and_an_unknown_id_is_404()
    {
        var ann = await AddAsync("ann@example.com");
        var ledger = blog.Service<IDigestLedger>();
        var now = DateTimeOffset.UtcNow;
        await ledger.OpenRunAsync("weekly/2026-03-02", "weekly", now, CancellationToken.None);
        await ledger.AddAsync("weekly/2026-03-02", [new PlannedDelivery(ann.Id, ["p"], now, "digest.1@blog.test")], now, CancellationToken.None);
        await ExecuteAsync($"UPDATE deliveries SET status = 'failed', last_error = '550 5.1.1 <b>no such user</b>', settled_at = 0 WHERE subscriber_id = {ann.Id}");
        await blog.Service<IFeedbackStore>().RecordAsync(new FeedbackEvent("k1", FeedbackKind.HardBounce, "imap", now, new FeedbackTarget(ann.Id), "smtp; 550 <i>gone</i>"),
            new FeedbackRules(5, 5, TimeSpan.FromDays(14)), CancellationToken.None);

        var page = await session.GetStringAsync(Path(ann));
        Assert.Contains("<td>weekly/2026-03-02</td><td class=\"outcome-failed\">failed</td><td><code>digest.1@blog.test</code></td>", page, StringComparison.Ordinal);
        Assert.Contains("550 5.1.1 &lt;b&gt;no such user&lt;/b&gt;", page, StringComparison.Ordinal);
        Assert.Contains("<td>hard-bounce</td><td>imap</td>", page, StringComparison.Ordinal);
        Assert.Contains("smtp; 550 &lt;i&gt;gone&lt;/i&gt;", page, StringComparison.Ordinal);

        using var missing = await session.GetAsync($"/subscribers/{ann.Id + 1000}");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        using var negative = await session.GetAsync("/subscribers/-1");
        Assert.Equal(HttpStatusCode.NotFound, negative.StatusCode);
    }

    [Fact]
    public async Task Changing_tags_and_cadence_changes_only_them_and_an_unknown_tag_changes_nothing()
    {
        var ann = await AddAsync("ann@example.com", SubscriberStatus.Active, "weekly", "go");

        using var saved = await session.PostFormAsync(Path(ann, "/preferences"), [("cadence", "daily"), ("tags", "rust"), ("tags", "Go")]);
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        Assert.Equal($"/subscribers/{ann.Id}?done=preferences", saved.Headers.Location!.OriginalString);
        var changed = await Store.FindAsync(ann.Id, CancellationToken.None);
        Assert.Equal(ann with { Cadence = "daily", Tags = ["go", "rust"] }, changed);
        Assert.Contains("Tags and cadence saved.", await session.GetStringAsync(saved.Headers.Location.OriginalString), StringComparison.Ordinal);

        using var refused = await session.PostFormAsync(Path(ann, "/preferences"), [("cadence", "hourly"), ("tags", "<cooking>")]);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var html = await refused.Content.ReadAsStringAsync();
        Assert.Contains("Cadence: unknown cadence &quot;hourly&quot;", html, StringComparison.Ordinal);
        Assert.Contains("Tags: unknown tag &quot;&lt;cooking&gt;&quot;", html, StringComparison.Ordinal);
        Assert.Equal(changed, await Store.FindAsync(ann.Id, CancellationToken.None));
    }

    [Fact]
    public async Task Unsubscribe_changes_only_the_status()
    {
        var ann = await AddAsync("ann@example.com", SubscriberStatus.Active, "daily", "go");
        using var done = await session.PostFormAsync(Path(ann, "/unsubscribe"), []);
        Assert.Equal(HttpStatusCode.Redirect, done.StatusCode);
        var left = (await Store.FindAsync(ann.Id, CancellationToken.None))!;
        Assert.Equal(ann with { Status = SubscriberStatus.Unsubscribed, UnsubscribedAt = left.UnsubscribedAt }, left);
        Assert.NotNull(left.UnsubscribedAt);
    }

    [Fact]
    public async Task Resend_mails_a_pending_subscriber_a_new_confirmation_and_refuses_anyone_else()
    {
        var pending = await AddAsync("pending@example.com", SubscriberStatus.Pending, "daily", "rust");
        var active = await AddAsync("active@example.com");

        using var done = await session.PostFormAsync(Path(pending, "/resend"), []);
        Assert.Equal(HttpStatusCode.Redirect, done.StatusCode);
        Assert.Equal($"/subscribers/{pending.Id}?done=resent", done.Headers.Location!.OriginalString);
        var mail = await blog.Mail.WaitForAsync("pending@example.com");
        Assert.StartsWith("Confirm your subscription", mail.Subject, StringComparison.Ordinal);
        var after = (await Store.FindAsync(pending.Id, CancellationToken.None))!;
        Assert.Equal(pending with { ConfirmationSentAt = after.ConfirmationSentAt }, after);
        Assert.NotNull(after.ConfirmationSentAt);

        using var refused = await session.PostFormAsync(Path(active, "/resend"), []);
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Contains("Only a pending subscriber is sent a confirmation; this one is active.", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(active, await Store.FindAsync(active.Id, CancellationToken.None));
        Assert.Empty(blog.Mail.To("active@example.com"));
    }

    [Fact]
    public async Task Forget_needs_the_address_typed_and_then_erases_it_keeping_a_complainer_suppressed()
    {
        var ann = await AddAsync("Ann@example.com", SubscriberStatus.Complained);

        using var wrong = await session.PostFormAsync(Path(ann, "/forget"), [("confirm", "bob@example.com")]);
        Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);
        Assert.Contains("does not match this subscriber", await wrong.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        using var empty = await session.PostFormAsync(Path(ann, "/forget"), []);
        Assert.Equal(HttpStatusCode.BadRequest, empty.StatusCode);
        Assert.Equal(ann, await Store.FindAsync(ann.Id, CancellationToken.None));

        using var done = await session.PostFormAsync(Path(ann, "/forget"), [("confirm", " ann@EXAMPLE.com ")]);
        Assert.Equal(HttpStatusCode.Redirect, done.StatusCode);
        Assert.Equal("/subscribers?done=forgotten", done.Headers.Location!.OriginalString);
        Assert.Null(await Store.FindAsync(ann.Id, CancellationToken.None));
        // As blog subscribers forget: the complaint keeps the address off the list.
        var again = await Store.ImportAsync([TestSubscriptions.Draft("ann@example.com")], DateTimeOffset.UtcNow, null, null, CancellationToken.None);
        Assert.Equal(1, again.Suppressed);

        using var gone = await session.PostFormAsync(Path(ann, "/forget"), [("confirm", "ann@example.com")]);
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
    }

    [Fact]
    public async Task Hostile_values_in_the_database_are_encoded_on_every_page()
    {
        var odd = await AddAsync("o'neil&co@example.com");
        await ExecuteAsync($"UPDATE subscribers SET tags = '<script>alert(1)</script>', cadence = '\"><img src=x>' WHERE id = {odd.Id}");

        foreach (var path in new[] { "/subscribers", "/subscribers?q=neil", Path(odd), "/subscribers?cadence=%22%3E%3Cimg%20src%3Dx%3E" })
        {
            var html = await session.GetStringAsync(path);
            Assert.DoesNotContain("<script>alert", html, StringComparison.Ordinal);
            Assert.DoesNotContain("<img src=x>", html, StringComparison.Ordinal);
            Assert.DoesNotContain("o'neil&co", html, StringComparison.Ordinal);
            Assert.Contains("o&#x27;neil&amp;co@example.com", html, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Without_a_session_every_subscriber_route_sends_to_sign_in_and_changes_nothing()
    {
        var ann = await AddAsync("ann@example.com");
        using var anonymous = ConsoleSession.Anonymous(blog);
        foreach (var path in new[] { "/subscribers", Path(ann) })
        {
            using var response = await anonymous.GetAsync(path);
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            Assert.Equal("/signin", new Uri(blog.ConsoleAddress, response.Headers.Location!).AbsolutePath);
        }
        foreach (var action in new[] { "/unsubscribe", "/forget", "/preferences", "/resend" })
        {
            using var content = new FormUrlEncodedContent([new("confirm", "ann@example.com"), new("cadence", "daily")]);
            using var response = await anonymous.Client.PostAsync(Path(ann, action).TrimStart('/'), content);
            // Refused before any handler runs: sent to sign in, or the form refused (no antiforgery token); never done.
            Assert.False(response.IsSuccessStatusCode, $"POST {action}: {response.StatusCode}");
            if (response.StatusCode == HttpStatusCode.Redirect)
                Assert.Equal("/signin", new Uri(blog.ConsoleAddress, response.Headers.Location!).AbsolutePath);
        }
        Assert.Equal(ann, await Store.FindAsync(ann.Id, CancellationToken.None));
    }

    [GeneratedRegex("<td><a href=\"/subscribers/(\\d+)\">")]
    private static partial Regex SubscriberLink();

    [GeneratedRegex("<a rel=\"next\" href=\"([^\"]+)\">")]
    private static partial Regex NextLink();

    [GeneratedRegex("<a rel=\"prev\" href=\"([^\"]+)\">")]
    private static partial Regex PreviousLink();
}

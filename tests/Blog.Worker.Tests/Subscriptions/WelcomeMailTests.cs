using System.Globalization;
using System.Net;
using Blog.MailingList;
using MimeKit;

namespace Blog.Tests.Subscriptions;

/// <summary>The welcome mail a confirmation queues, over real HTTP, with mail read from the pickup folder.</summary>
public sealed class WelcomeMailTests : IAsyncLifetime
{
    private readonly TempFolder folder = new();
    private RunningBlog blog = null!;
    private int markers;

    public async Task InitializeAsync()
    {
        static string Ago(double days) => DateTimeOffset.UtcNow.AddDays(-days).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        folder.Write("posts/old-evals.md", PostText.Of("Old evals", Ago(5), extra: "tags: [evals]"));
        folder.Write("posts/evals-four.md", PostText.Of("Evals four", Ago(4), extra: "tags: [evals]"));
        folder.Write("posts/evals-three.md", PostText.Of("Evals three", Ago(3), extra: "tags: [evals]"));
        folder.Write("posts/rag-one.md", PostText.Of("RAG one", Ago(2), extra: "tags: [rag]"));
        folder.Write("posts/tricks.md", PostText.Of("Evals <b>&amp; tricks</b>", Ago(1), extra: "tags: [evals]\nsummary: \"Small <i>tests</i>\""));
        folder.Write("posts/other.md", PostText.Of("Newest other", Ago(0.1), extra: "tags: [other]"));
        folder.Write("posts/future.md", PostText.Of("Not yet", Ago(-2), extra: "tags: [evals]"));
        blog = await RunningBlog.StartAsync(folder.Combine("posts"), folder.Combine("out"), selfLinked: true,
            "--Subscriptions:SignUpLimit=10000", "--Subscriptions:SignUpsPerMinute=10000", "--Mail:PollInterval=00:00:00.200");
    }

    public async Task DisposeAsync()
    {
        await blog.DisposeAsync();
        folder.Dispose();
    }

    [Fact]
    public async Task Confirming_queues_one_welcome_with_the_newest_posts_in_the_subscribers_topics_and_their_links()
    {
        var link = await SignUpAsync(blog, "topics@example.com", ("tags", "evals"));
        (await ConfirmAsync(blog, link)).Dispose();
        var welcome = await WelcomeAsync(blog, "topics@example.com");
        var subscriber = (await blog.Service<ISubscriberStore>().FindAsync(EmailAddress.Parse("topics@example.com"), CancellationToken.None))!;
        // Tagged under the signing key: a forged report cannot name this mail from the subscriber id alone.
        Assert.Matches($@"^welcome\.{subscriber.Id}\.[0-9]+\.[a-z2-7]{{16}}@blog\.example\.com$", welcome.MessageId);

        var text = welcome.TextBody!;
        // The three newest in evals, newest first; nothing from other topics, nothing older, nothing not yet published.
        var positions = new[] { "Evals <b>&amp; tricks</b>", "Evals three", "Evals four" }.Select(t => text.IndexOf(t, StringComparison.Ordinal)).ToArray();
        Assert.All(positions, p => Assert.True(p >= 0, text));
        Assert.Equal(positions.Order(), positions);
        foreach (var absent in new[] { "Old evals", "RAG one", "Newest other", "Not yet" }) Assert.DoesNotContain(absent, text, StringComparison.Ordinal);
        Assert.Contains($"{blog.BaseAddress}", text, StringComparison.Ordinal);
        Assert.Contains("evals-three", text, StringComparison.Ordinal);

        // The links work, and are this subscriber's.
        using (var preferences = await blog.Client.GetAsync(PickupMail.Link(welcome, "preferences")))
        {
            Assert.Equal(HttpStatusCode.OK, preferences.StatusCode);
            Assert.Contains("topics@example.com", await preferences.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
        using (var unsubscribe = await blog.Client.GetAsync(PickupMail.Link(welcome, "unsubscribe")))
            Assert.Equal(HttpStatusCode.OK, unsubscribe.StatusCode);
        Assert.StartsWith($"<{blog.BaseAddress}unsubscribe?token=u.", welcome.Headers["List-Unsubscribe"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_topics_the_welcome_shows_the_newest_posts_of_all()
    {
        var link = await SignUpAsync(blog, "everything@example.com");
        (await ConfirmAsync(blog, link)).Dispose();
        var text = (await WelcomeAsync(blog, "everything@example.com")).TextBody!;
        var positions = new[] { "Newest other", "Evals <b>&amp; tricks</b>", "RAG one" }.Select(t => text.IndexOf(t, StringComparison.Ordinal)).ToArray();
        Assert.All(positions, p => Assert.True(p >= 0, text));
        Assert.Equal(positions.Order(), positions);
        Assert.DoesNotContain("Evals three", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_html_part_escapes_post_titles_and_summaries()
    {
        var link = await SignUpAsync(blog, "html@example.com", ("tags", "evals"));
        (await ConfirmAsync(blog, link)).Dispose();
        var html = (await WelcomeAsync(blog, "html@example.com")).HtmlBody!;
        Assert.Contains("Evals &lt;b&gt;&amp;amp; tricks&lt;/b&gt;", html, StringComparison.Ordinal);
        Assert.Contains("Small &lt;i&gt;tests&lt;/i&gt;", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<b>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<i>", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Confirming_twice_still_queues_one_welcome()
    {
        var link = await SignUpAsync(blog, "twice@example.com");
        (await ConfirmAsync(blog, link)).Dispose();
        (await ConfirmAsync(blog, link)).Dispose();
        await WelcomeAsync(blog, "twice@example.com");
        await QuietAsync(blog);
        Assert.Single(blog.Mail.To("twice@example.com"), IsWelcome);
    }

    [Fact]
    public async Task Confirming_again_after_leaving_and_signing_up_again_sends_a_second_welcome_with_its_own_message_id()
    {
        (await ConfirmAsync(blog, await SignUpAsync(blog, "again@example.com"))).Dispose();
        var first = await WelcomeAsync(blog, "again@example.com");
        using (var body = new StringContent("List-Unsubscribe=One-Click", System.Text.Encoding.ASCII, "application/x-www-form-urlencoded"))
        using (var left = await blog.Client.PostAsync(PickupMail.Unsubscribe(first), body))
            left.EnsureSuccessStatusCode();
        var sent = blog.Mail.To("again@example.com").Select(m => m.MessageId).ToHashSet(StringComparer.Ordinal);
        using (var signUp = await PostFormAsync(blog, "subscribe", ("email", "again@example.com"))) signUp.EnsureSuccessStatusCode();
        await Eventually.Until(() => blog.Mail.To("again@example.com").Any(m => !sent.Contains(m.MessageId)), "a second confirmation");
        var link = PickupMail.Link(blog.Mail.To("again@example.com").Single(m => !sent.Contains(m.MessageId)), "confirm");
        (await ConfirmAsync(blog, link)).Dispose();
        // Two welcomes, two ids: with one id, Gmail drops the second as a duplicate and the pickup folder overwrites it.
        await Eventually.Until(() => blog.Mail.To("again@example.com").Count(IsWelcome) == 2, "a second welcome mail");
        var ids = blog.Mail.To("again@example.com").Where(IsWelcome).Select(m => m.MessageId).ToList();
        Assert.Equal(2, ids.Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public async Task With_Welcome_false_confirming_queues_none()
    {
        await using var quiet = await RunningBlog.StartAsync(folder.Combine("posts"), folder.Combine("out2"), selfLinked: true,
            "--Subscriptions:Welcome=false", "--Mail:PollInterval=00:00:00.200");
        var link = await SignUpAsync(quiet, "nowelcome@example.com");
        using (var confirmed = await ConfirmAsync(quiet, link)) confirmed.EnsureSuccessStatusCode();
        Assert.Equal(SubscriberStatus.Active,
            (await quiet.Service<ISubscriberStore>().FindAsync(EmailAddress.Parse("nowelcome@example.com"), CancellationToken.None))!.Status);
        await QuietAsync(quiet);
        Assert.DoesNotContain(quiet.Mail.To("nowelcome@example.com"), IsWelcome);
    }

    [Fact]
    public async Task A_welcome_template_that_fails_does_not_keep_anyone_from_subscribing()
    {
        // Past the loop limit at run time: it parses, so start-up takes it.
        folder.Write("owner/welcome.txt.sbn", "{{ for i in 1..1000000 }}x{{ end }}");
        await using var broken = await RunningBlog.StartAsync(folder.Combine("posts"), folder.Combine("out3"), selfLinked: true,
            $"--Templates:Path={folder.Combine("owner")}", "--Mail:PollInterval=00:00:00.200");
        var link = await SignUpAsync(broken, "brave@example.com");
        using (var confirmed = await ConfirmAsync(broken, link))
        {
            Assert.Equal(HttpStatusCode.OK, confirmed.StatusCode);
            Assert.Contains("You are subscribed", await confirmed.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
        Assert.Equal(SubscriberStatus.Active,
            (await broken.Service<ISubscriberStore>().FindAsync(EmailAddress.Parse("brave@example.com"), CancellationToken.None))!.Status);
        Assert.Contains(broken.Log.Entries, e => e.Message.Contains("confirmed without a welcome mail", StringComparison.Ordinal)
                                                 && e.Message.Contains("welcome.txt.sbn", StringComparison.Ordinal));
        await QuietAsync(broken);
        Assert.DoesNotContain(broken.Mail.To("brave@example.com"), IsWelcome);
    }

    [Fact]
    public async Task A_welcome_that_fails_for_any_reason_does_not_keep_anyone_from_subscribing()
    {
        var link = await SignUpAsync(blog, "unparsed@example.com");
        var id = (await blog.Service<ISubscriberStore>().FindAsync(EmailAddress.Parse("unparsed@example.com"), CancellationToken.None))!.Id;
        // A stored address the mail cannot be addressed to (an old row, a hand edit): not a template error.
        await using (var connection = await blog.Service<Blog.Storage.Database>().OpenAsync(CancellationToken.None))
        await using (var command = connection.CreateCommand())
        {
            command.CommandText = $"UPDATE subscribers SET address = 'no at sign' WHERE id = {id}";
            Assert.Equal(1, await command.ExecuteNonQueryAsync());
        }
        using (var confirmed = await ConfirmAsync(blog, link))
            Assert.Equal(HttpStatusCode.OK, confirmed.StatusCode);
        Assert.Equal(SubscriberStatus.Active, (await blog.Service<ISubscriberStore>().FindAsync(id, CancellationToken.None))!.Status);
        Assert.Contains(blog.Log.Entries, e => e.Message.Contains($"Subscriber {id} confirmed without a welcome mail", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(21)]
    public void WelcomePosts_out_of_range_is_refused_with_its_key_and_value(int posts)
    {
        var result = new Blog.Subscriptions.SubscriptionOptionsValidator(Microsoft.Extensions.Options.Options.Create(new Blog.Digests.DigestsOptions()))
            .Validate(null, new Blog.Subscriptions.SubscriptionOptions { WelcomePosts = posts });
        Assert.Contains($"Subscriptions:WelcomePosts must be between 0 and 20, but is {posts}.", result.FailureMessage, StringComparison.Ordinal);
    }

    private static bool IsWelcome(MimeMessage message) => (message.MessageId ?? "").StartsWith("welcome.", StringComparison.Ordinal);

    private static async Task<MimeMessage> WelcomeAsync(RunningBlog on, string address)
    {
        await Eventually.Until(() => on.Mail.To(address).Any(IsWelcome), $"a welcome mail to {address}");
        return on.Mail.To(address).Single(IsWelcome);
    }

    /// <summary>Signs up through the form; returns the confirmation link from the mail.</summary>
    private static async Task<Uri> SignUpAsync(RunningBlog on, string address, params (string Key, string Value)[] extra)
    {
        using (var signUp = await PostFormAsync(on, "subscribe", [("email", address), .. extra])) signUp.EnsureSuccessStatusCode();
        return PickupMail.Link(await on.Mail.WaitForAsync(address), "confirm");
    }

    /// <summary>Opens the confirmation link and presses its button, as a person does.</summary>
    private static async Task<HttpResponseMessage> ConfirmAsync(RunningBlog on, Uri link)
    {
        using var page = await on.Client.GetAsync(link);
        page.EnsureSuccessStatusCode();
        var html = await page.Content.ReadAsStringAsync();
        // Once confirmed, the link's page has no button to press: pressing again is posting to the link itself.
        var action = html.Contains("<form method=\"post\"", StringComparison.Ordinal) ? new Uri(link, SubscriptionSite.FormAction(html)) : link;
        return await on.Client.PostAsync(action, null);
    }

    /// <summary>Until the outbox has sent everything queued before: a marker's confirmation is claimed after it (see <see cref="SubscriptionSite.QuietAsync"/>).</summary>
    private async Task QuietAsync(RunningBlog on)
    {
        var marker = $"welcome-marker{Interlocked.Increment(ref markers)}@example.com";
        using (var signUp = await PostFormAsync(on, "subscribe", ("email", marker))) signUp.EnsureSuccessStatusCode();
        await on.Mail.WaitForAsync(marker);
    }

    private static async Task<HttpResponseMessage> PostFormAsync(RunningBlog on, string path, params (string Key, string Value)[] fields)
    {
        using var content = new FormUrlEncodedContent(fields.Select(f => KeyValuePair.Create(f.Key, f.Value)));
        return await on.Client.PostAsync(path, content);
    }
}

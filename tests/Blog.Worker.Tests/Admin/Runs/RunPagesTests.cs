using System.Globalization;
using System.Net;
using System.Text.Encodings.Web;
using Blog.Cli;
using Blog.Digests;
using Blog.MailingList;
using Blog.Tests.Digests;
using Microsoft.Playwright;

namespace Blog.Tests.Admin.Runs;

/// <summary>
/// The console's runs, their actions and the digest preview, on a running service whose digests go to an SMTP
/// server on loopback, signed in as the owner.
/// </summary>
public sealed class RunPagesTests
{
    private static Task<RunningBlog> StartAsync(DigestBlog digests) =>
        RunningBlog.StartAsync(digests.Posts, Path.Combine(digests.Data, "..", "out"), ["--Mail:PollInterval=00:00:00.200", .. digests.ServiceSettings]);

    /// <summary>The one weekly run (<c>blog digest send</c> also opens an empty daily one: every subscriber here is weekly).</summary>
    private static async Task<DigestRunSummary> OnlyRunAsync(RunningBlog blog) =>
        Assert.Single(await blog.Service<IDigestLedger>().RunsAsync(10, CancellationToken.None), r => r.Cadence == "weekly");

    [Fact]
    public async Task The_runs_page_shows_the_ledgers_counts_and_a_run_its_failed_deliveries_with_the_servers_words()
    {
        await using var digests = await DigestBlog.CreateAsync(3);
        digests.Smtp.Reply = m => m.To.Mailboxes.Single().Address == "reader0001@example.com" ? (550, "5.1.1 <reader0001@example.com>: no such mailbox") : null;
        var (exit, _, _) = await digests.RunAsync("digest", "send");
        Assert.Equal(BlogCli.Problems, exit);
        await using var blog = await StartAsync(digests);
        using var owner = await ConsoleSession.SignInAsync(blog);

        var run = await OnlyRunAsync(blog);
        Assert.Equal((2, 0, 1, 0, 1), (run.Sent, run.Skipped, run.Failed, run.Pending, run.HardBounces));
        var list = await owner.GetStringAsync("/runs");
        Assert.Contains(AdminText(run.Key), list, StringComparison.Ordinal);
        Assert.Contains(string.Concat(new[] { run.Sent, run.Skipped, run.Failed, run.Pending, run.HardBounces, run.SoftBounces, run.Complaints }
            .Select(n => $"<td>{n.ToString(CultureInfo.InvariantCulture)}</td>")), list, StringComparison.Ordinal);

        var detail = await owner.GetStringAsync("/" + RunPath(run.Key));
        // The address, the attempts, and the server's words as the ledger has them.
        var row = System.Text.RegularExpressions.Regex.Match(detail, "<tr><td>" + System.Text.RegularExpressions.Regex.Escape(AdminText("reader0001@example.com")) + "</td><td>1</td><td>([^<]*)</td>");
        Assert.True(row.Success, detail);
        Assert.Contains("answered 550", row.Groups[1].Value, StringComparison.Ordinal);
        Assert.Contains("no such mailbox", row.Groups[1].Value, StringComparison.Ordinal);
        Assert.DoesNotContain("reader0000@example.com", detail, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await owner.GetAsync("/runs/weekly/no-such-run")).StatusCode);
    }

    [Fact]
    public async Task Retry_failed_re_queues_exactly_the_failed_deliveries_and_the_service_sends_them_once()
    {
        await using var digests = await DigestBlog.CreateAsync(3);
        digests.Smtp.Reply = m => m.To.Mailboxes.Single().Address == "reader0001@example.com" ? (550, "5.2.2 mailbox full") : null;
        await digests.RunAsync("digest", "send");
        digests.Smtp.Reply = _ => null;
        await using var blog = await StartAsync(digests);
        using var owner = await ConsoleSession.SignInAsync(blog);
        var key = (await OnlyRunAsync(blog)).Key;

        using var retried = await owner.PostFormAsync("/runs/retry", [("run", key)], formPage: "/" + RunPath(key));
        Assert.Equal(HttpStatusCode.SeeOther, retried.StatusCode);
        Assert.EndsWith("?done=retried&count=1", retried.Headers.Location!.OriginalString, StringComparison.Ordinal);
        await Eventually.Until(async () => (await OnlyRunAsync(blog)).Sent == 3, "the retried delivery sent");
        var run = await OnlyRunAsync(blog);
        Assert.Equal((3, 0, 0), (run.Sent, run.Failed, run.Pending));
        // Each reader has one digest: the one refused before, and the two that went the first time, not again.
        Assert.Equal(new Dictionary<string, int> { ["reader0000@example.com"] = 1, ["reader0001@example.com"] = 1, ["reader0002@example.com"] = 1 },
            digests.MessagesPerRecipient());
        Assert.Contains("Re-queued 1 failed delivery", await owner.GetStringAsync(retried.Headers.Location.OriginalString), StringComparison.Ordinal);

        using var none = await owner.PostFormAsync("/runs/retry", [("run", "weekly/none")], formPage: "/runs");
        Assert.Equal(HttpStatusCode.NotFound, none.StatusCode);
    }

    [Fact]
    public async Task Send_now_runs_the_cadence_through_the_scheduler_as_a_manual_run()
    {
        await using var digests = await DigestBlog.CreateAsync(2);
        await using var blog = await StartAsync(digests);
        using var owner = await ConsoleSession.SignInAsync(blog);

        using var unknown = await owner.PostFormAsync("/runs/send", [("cadence", "fortnightly")], formPage: "/runs");
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        Assert.Contains("cadence: unknown cadence &quot;fortnightly&quot;", await unknown.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        using var sent = await owner.PostFormAsync("/runs/send", [("cadence", "weekly")], formPage: "/runs");
        Assert.Equal(HttpStatusCode.SeeOther, sent.StatusCode);
        await Eventually.Until(() => digests.Smtp.Received.Count == 2, "both digests sent");
        var run = await OnlyRunAsync(blog);
        Assert.StartsWith("weekly/manual-", run.Key, StringComparison.Ordinal);
        Assert.Equal((2, 0), (run.Sent, run.Failed));
        Assert.Contains("A weekly run was started", await owner.GetStringAsync(sent.Headers.Location!.OriginalString), StringComparison.Ordinal);

        // The posts page names the run that mailed each post.
        Assert.Contains(AdminText(run.Key) + "</a>", await owner.GetStringAsync("/posts"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_preview_is_the_digest_then_mailed_and_changes_nothing()
    {
        await using var digests = await DigestBlog.CreateAsync(1);
        await using var blog = await StartAsync(digests);
        using var owner = await ConsoleSession.SignInAsync(blog);
        var subscriber = (await blog.Service<ISubscriberStore>().FindAsync(EmailAddress.Parse("reader0000@example.com"), CancellationToken.None))!;

        var page = await owner.GetStringAsync("/preview?subscriber=reader0000%40example.com");
        var byId = await owner.GetStringAsync("/preview?subscriber=" + subscriber.Id.ToString(CultureInfo.InvariantCulture));
        using var frame = await owner.GetAsync("/preview/html?subscriber=" + subscriber.Id.ToString(CultureInfo.InvariantCulture));
        Assert.Equal("default-src 'none'; style-src 'unsafe-inline'; img-src https: data:; sandbox", frame.Headers.GetValues("Content-Security-Policy").Single());
        var html = await frame.Content.ReadAsStringAsync();
        // Nothing queued, sent or moved.
        Assert.Empty(await blog.Service<IDigestLedger>().RunsAsync(10, CancellationToken.None));
        Assert.Null((await blog.Service<ISubscriberStore>().FindAsync(subscriber.Id, CancellationToken.None))!.Watermark);

        using var sent = await owner.PostFormAsync("/runs/send", [("cadence", "weekly")], formPage: "/runs");
        await Eventually.Until(() => digests.Smtp.Received.Count == 1, "the digest sent");
        var mailed = digests.Smtp.Received.Single();
        Assert.Contains($"<th scope=\"row\">Subject</th><td>{AdminText(mailed.Subject)}</td>", page, StringComparison.Ordinal);
        Assert.Contains($"<th scope=\"row\">Subject</th><td>{AdminText(mailed.Subject)}</td>", byId, StringComparison.Ordinal);
        Assert.Contains($"<th scope=\"row\">List-Unsubscribe</th><td>{AdminText(mailed.Headers["List-Unsubscribe"])}</td>", page, StringComparison.Ordinal);
        var text = System.Text.RegularExpressions.Regex.Match(page, "<pre class=\"preview-text\">(.*?)</pre>", System.Text.RegularExpressions.RegexOptions.Singleline);
        Assert.True(text.Success, page);
        Assert.Equal(mailed.TextBody!.ReplaceLineEndings("\n"), WebUtility.HtmlDecode(text.Groups[1].Value).ReplaceLineEndings("\n"));
        Assert.Equal(mailed.HtmlBody!.ReplaceLineEndings("\n"), html.ReplaceLineEndings("\n"));

        // The SMTP server has the mail a moment before the ledger records it sent and moves the watermark: wait for that.
        await Eventually.Until(async () => (await owner.GetStringAsync("/preview?subscriber=reader0000%40example.com"))
            .Contains(AdminText("Nothing new for reader0000@example.com"), StringComparison.Ordinal), "the delivery recorded as sent");
        using var stranger = await owner.GetAsync("/preview?subscriber=nobody%40example.com");
        Assert.Equal(HttpStatusCode.NotFound, stranger.StatusCode);
        using var bad = await owner.GetAsync("/preview?subscriber=not-an-address");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("subscriber: ", await bad.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_preview_shows_the_HTML_part_in_a_sandboxed_frame_in_Chromium()
    {
        await using var digests = await DigestBlog.CreateAsync(1);
        await using var blog = await StartAsync(digests);
        await ConsoleSession.AccountAsync(blog);
        var (playwright, browser) = await Chromium.LaunchAsync();
        using var driver = playwright;
        await using var chromium = browser;
        // Without JavaScript: every console page but the passkey ceremony works without it.
        await using var context = await browser.NewContextAsync(new BrowserNewContextOptions { JavaScriptEnabled = false });
        var page = await context.NewPageAsync();
        var violations = new List<string>();
        page.Console += (_, message) => { if (message.Text.Contains("Content Security Policy", StringComparison.Ordinal)) violations.Add(message.Text); };
        await ConsoleSession.SignInAsync(page, blog.ConsoleAddress);

        await page.GotoAsync(new Uri(blog.ConsoleAddress, "runs").AbsoluteUri);
        await page.GetByLabel("Subscriber (address or id)").FillAsync("reader0000@example.com");
        await page.GetByRole(AriaRole.Button, new() { Name = "Preview their next digest" }).ClickAsync();
        var frame = page.Locator("iframe");
        Assert.Equal("", await frame.GetAttributeAsync("sandbox"));
        // The mail's HTML, shown: its inline styles apply under the frame's own policy, not the console's.
        var inFrame = page.FrameLocator("iframe").GetByText("Post 0").First;
        await inFrame.WaitForAsync();
        Assert.True(await inFrame.IsVisibleAsync());
        Assert.Contains("Post 0", await page.Locator("pre").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Empty(violations);
    }

    [Fact]
    public async Task Without_a_session_the_runs_pages_answer_nothing_and_change_nothing()
    {
        await using var digests = await DigestBlog.CreateAsync(1);
        await using var blog = await StartAsync(digests);
        using var anonymous = ConsoleSession.Anonymous(blog);
        foreach (var path in (string[])["/runs", "/runs/weekly/x", "/preview?subscriber=reader0000%40example.com", "/preview/html?subscriber=1", "/posts"])
        {
            using var response = await anonymous.GetAsync(path);
            Assert.True(response.StatusCode is HttpStatusCode.Redirect or HttpStatusCode.Unauthorized, $"{path}: {response.StatusCode}");
            Assert.DoesNotContain("reader0000", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
        using var form = new FormUrlEncodedContent([new("cadence", "weekly")]);
        using var send = await anonymous.Client.PostAsync("runs/send", form);
        Assert.NotEqual(HttpStatusCode.SeeOther, send.StatusCode);
        Assert.Empty(await blog.Service<IDigestLedger>().RunsAsync(10, CancellationToken.None));
    }

    private static string AdminText(string? text) => HtmlEncoder.Default.Encode(text ?? "");

    private static string RunPath(string key) => "runs/" + string.Join('/', key.Split('/').Select(Uri.EscapeDataString));
}

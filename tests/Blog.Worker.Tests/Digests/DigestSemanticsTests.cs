using System.Globalization;
using Blog.Cli;
using Blog.Digests;
using Blog.Posts;
using Microsoft.Extensions.DependencyInjection;

namespace Blog.Tests.Digests;

/// <summary>
/// What "new" means to a digest, through <c>blog digest send</c>: a post is new from when it was first seen public, a
/// send is a run of its own, a mail lists at most <c>Digests:MaxPosts</c>, and a digest that cannot be made fails alone.
/// </summary>
public sealed class DigestSemanticsTests
{
    private static string Ago(TimeSpan age) =>
        DateTimeOffset.UtcNow.Subtract(age).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static string[] Subjects(DigestBlog blog, string address) =>
        [.. blog.Smtp.Received.Where(m => m.To.Mailboxes.Single().Address == address).Select(m => m.Subject ?? "")];

    [Fact]
    public async Task Two_sends_seconds_apart_with_a_new_post_between_them_deliver_that_post()
    {
        await using var blog = await DigestBlog.CreateAsync(3);
        var first = await blog.RunAsync("digest", "send", "--cadence", "weekly", "--Digests:CoolOff=00:00:00");
        Assert.Contains("sent 3 digests", first.Out, StringComparison.Ordinal);

        File.WriteAllText(Path.Combine(blog.Posts, "late.md"), PostText.Of("Late", Ago(TimeSpan.FromSeconds(5))));
        var second = await blog.RunAsync("digest", "send", "--cadence", "weekly", "--Digests:CoolOff=00:00:00");
        Assert.True(second.Exit == 0, second.Err);
        Assert.Contains("3 with new posts", second.Out, StringComparison.Ordinal);
        Assert.Contains("sent 3 digests", second.Out, StringComparison.Ordinal);
        Assert.Equal(["Blog: Post 0", "Blog: Late"], Subjects(blog, "reader0001@example.com"));
        // The counts add up, run by run.
        Assert.Matches(@"weekly/manual-\S+: 3 planned = 3 sent \+ 0 skipped \+ 0 failed \+ 0 pending", second.Out);
    }

    [Fact]
    public async Task A_draft_published_after_newer_posts_went_out_is_mailed_after_the_cool_off_and_an_edit_never_sends_it_again()
    {
        await using var blog = await DigestBlog.CreateAsync(2);
        var draft = Path.Combine(blog.Posts, "drafted.md");
        // Written and dated three days ago, before the post the first digest carries.
        File.WriteAllText(draft, PostText.Of("Drafted", Ago(TimeSpan.FromDays(3)), extra: "draft: true"));
        var first = await blog.RunAsync("digest", "send", "--cadence", "weekly");
        Assert.Contains("sent 2 digests", first.Out, StringComparison.Ordinal);

        File.WriteAllText(draft, PostText.Of("Drafted", Ago(TimeSpan.FromDays(3)), extra: "draft: false"));
        var fresh = await blog.RunAsync("digest", "send", "--cadence", "weekly");
        Assert.Contains("sent 0 digests", fresh.Out, StringComparison.Ordinal);

        // Half an hour on (Digests:CoolOff): the record of when it became public is moved back instead of waiting.
        await blog.ScalarAsync($"UPDATE posts_seen SET first_seen = first_seen - {(long)TimeSpan.FromMinutes(31).TotalMilliseconds} " +
            $"WHERE first_seen > {DateTimeOffset.UtcNow.AddMinutes(-10).ToUnixTimeMilliseconds()}");
        var cooled = await blog.RunAsync("digest", "send", "--cadence", "weekly");
        Assert.Contains("sent 2 digests", cooled.Out, StringComparison.Ordinal);
        Assert.Equal(["Blog: Post 0", "Blog: Drafted"], Subjects(blog, "reader0000@example.com"));

        File.WriteAllText(draft, PostText.Of("Drafted, edited", Ago(TimeSpan.FromDays(3)), extra: $"updated: {Ago(TimeSpan.Zero)}"));
        var edited = await blog.RunAsync("digest", "send", "--cadence", "weekly", "--Digests:CoolOff=00:00:00");
        Assert.Contains("sent 0 digests", edited.Out, StringComparison.Ordinal);
        Assert.Equal(4, blog.Smtp.Received.Count);
    }

    [Fact]
    public async Task Posts_public_before_the_record_began_keep_their_dates_so_no_back_catalogue_is_mailed()
    {
        await using var blog = await DigestBlog.CreateAsync(2);
        File.WriteAllText(Path.Combine(blog.Posts, "archive.md"), PostText.Of("From the archive", Ago(TimeSpan.FromDays(400))));
        var sent = await blog.RunAsync("digest", "send", "--cadence", "weekly", "--Digests:CoolOff=00:00:00");
        Assert.Contains("sent 2 digests", sent.Out, StringComparison.Ordinal);
        Assert.All(blog.Smtp.Received, m => Assert.Equal("Blog: Post 0", m.Subject));
        Assert.Equal(2L, await blog.ScalarAsync("SELECT COUNT(*) FROM posts_seen"));
    }

    [Fact]
    public async Task A_digest_lists_at_most_max_posts_and_links_to_the_rest()
    {
        await using var blog = await DigestBlog.CreateAsync(1, "a", "b", "c");
        var (exit, _, stderr) = await blog.RunAsync("digest", "send", "--cadence", "weekly", "--Digests:MaxPosts=2");
        Assert.True(exit == 0, stderr);
        var message = Assert.Single(blog.Smtp.Received);
        Assert.Equal("Blog: 3 new posts", message.Subject);
        Assert.Contains("and 1 more new post: https://blog.example.com/", message.TextBody, StringComparison.Ordinal);
        Assert.Contains("Unsubscribe: https://blog.example.com/unsubscribe", message.TextBody, StringComparison.Ordinal);
        Assert.Equal(2, new[] { "Post 0", "Post 1", "Post 2" }.Count(t => message.TextBody!.Contains(t, StringComparison.Ordinal)));
    }

    [Fact]
    public async Task A_digest_that_cannot_be_rendered_fails_that_delivery_with_its_reason_and_the_round_goes_on()
    {
        await using var blog = await DigestBlog.CreateAsync(2, "x", "y");
        using var templates = new TempFolder();
        foreach (var file in Directory.GetFiles(Path.Combine(TestSite.RepositoryRoot(), "templates"), "*.sbn"))
            File.Copy(file, Path.Combine(templates.Path, Path.GetFileName(file)));
        // Breaks only a digest of two posts: a loop past any limit a template may run.
        File.AppendAllText(Path.Combine(templates.Path, "digest.txt.sbn"), "{{ if posts.size > 1 }}{{ for i in 1..100000000 }}{{ end }}{{ end }}");
        await blog.ScalarAsync("UPDATE subscribers SET tags = 'x' WHERE address = 'reader0000@example.com'");

        var (exit, stdout, _) = await blog.RunAsync("digest", "send", "--cadence", "weekly", $"--Templates:Path={templates.Path}");
        Assert.Equal(1, exit);
        Assert.Contains("sent 1 digest", stdout, StringComparison.Ordinal);
        Assert.Contains("1 failed", stdout, StringComparison.Ordinal);
        Assert.Equal("reader0000@example.com", Assert.Single(blog.Smtp.Received).To.Mailboxes.Single().Address);
        var error = (string?)await blog.ScalarAsync("SELECT last_error FROM deliveries WHERE status = 'failed'");
        Assert.StartsWith("the digest could not be rendered", error, StringComparison.Ordinal);
        Assert.Equal(0L, await blog.ScalarAsync("SELECT COUNT(*) FROM deliveries WHERE status = 'pending'"));
    }

    [Fact]
    public async Task A_send_with_broken_post_files_says_they_are_left_out()
    {
        await using var blog = await DigestBlog.CreateAsync(1);
        File.WriteAllText(Path.Combine(blog.Posts, "broken.md"), "---\ntitle: [unclosed\n---\n");
        var (exit, stdout, stderr) = await blog.RunAsync("digest", "send", "--cadence", "weekly");
        Assert.True(exit == 0, stderr);
        Assert.Contains("sent 1 digest", stdout, StringComparison.Ordinal);
        Assert.Contains("1 post file with problems left out ('blog check' lists them)", stderr, StringComparison.Ordinal);
    }

    /// <summary>
    /// Plans a run with both posts public, then sends with the posts as published now, less <paramref name="pulled"/>:
    /// the sender reads the catalogue again at sending, and a post pulled back (a draft again, its file gone) since
    /// planning is left out of the mail.
    /// </summary>
    private static async Task<DigestRound> PlanThenSendWithoutAsync(DigestBlog blog, params string[] pulled)
    {
        await using var app = BlogCli.CreateService(["run", .. blog.Settings]);
        var now = DateTimeOffset.UtcNow;
        var published = (await app.Services.GetRequiredService<PublishedPosts>().SnapshotAsync(CancellationToken.None)).Published(now);
        Assert.Equal(2, published.Length);
        await app.Services.GetRequiredService<DigestRuns>().PlanManualAsync("weekly", now, published, null, CancellationToken.None);
        var atSending = published.Where(p => !pulled.Contains(p.Title)).ToDictionary(p => p.Id, StringComparer.Ordinal);
        return await app.Services.GetRequiredService<DigestSender>().SendDueAsync(atSending, null, CancellationToken.None);
    }

    [Fact]
    public async Task A_post_withdrawn_between_planning_and_sending_is_left_out_of_the_mail()
    {
        await using var blog = await DigestBlog.CreateAsync(2, "kept", "pulled");
        var round = await PlanThenSendWithoutAsync(blog, "Post 1");
        Assert.Equal(2, round.Sent);
        Assert.Equal(2, blog.Smtp.Received.Count);
        Assert.All(blog.Smtp.Received, m =>
        {
            Assert.Contains("Post 0", m.TextBody, StringComparison.Ordinal);
            Assert.DoesNotContain("Post 1", m.TextBody, StringComparison.Ordinal);
        });
    }

    [Fact]
    public async Task A_digest_whose_posts_were_all_withdrawn_before_sending_is_skipped_not_mailed()
    {
        await using var blog = await DigestBlog.CreateAsync(2, "a", "b");
        var round = await PlanThenSendWithoutAsync(blog, "Post 0", "Post 1");
        Assert.Equal((0, 2), (round.Sent, round.Skipped));
        Assert.Empty(blog.Smtp.Received);
        Assert.Equal(2L, await blog.ScalarAsync("SELECT COUNT(*) FROM deliveries WHERE status = 'skipped' AND last_error = 'its posts were withdrawn before sending'"));
    }
}

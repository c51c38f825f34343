using Blog.Feedback;
using Blog.Storage;
using Blog.Tests.Digests;

namespace Blog.Tests.Cli;

/// <summary><c>blog digest status</c>: a real run sent over SMTP, then what came back about it.</summary>
public sealed class DigestCommandsTests
{
    [Fact]
    public async Task Status_shows_each_runs_bounces_and_complaints_beside_its_deliveries()
    {
        await using var blog = await DigestBlog.CreateAsync(10);
        Assert.Equal(0, (await blog.RunAsync("digest", "send", "--cadence", "weekly")).Exit);
        var run = (string)(await blog.ScalarAsync("SELECT key FROM digest_runs"))!;
        using (var database = TestSubscriptions.Database(blog.Data))
        {
            var store = new SqlFeedbackStore(database);
            var rules = new FeedbackRules(3, 5, TimeSpan.FromDays(14));
            async Task ReportAsync(string key, FeedbackKind kind, int reader) => await store.RecordAsync(new FeedbackEvent(key, kind, "imap", DateTimeOffset.UtcNow,
                new FeedbackTarget(RunKey: run, Address: $"reader{reader:D4}@example.com") { Trusted = true }, ""), rules, CancellationToken.None);
            await ReportAsync("h1", FeedbackKind.HardBounce, 1);
            await ReportAsync("h2", FeedbackKind.HardBounce, 2);
            await ReportAsync("s3", FeedbackKind.SoftBounce, 3);
            await ReportAsync("c4", FeedbackKind.Complaint, 4);
        }

        var (exit, stdout, _) = await blog.RunAsync("digest", "status");
        Assert.Equal(0, exit);
        Assert.Matches(@"RUN\s+STARTED\s+SENT\s+SKIPPED\s+FAILED\s+PENDING\s+BOUNCED\s+SOFT\s+COMPLAINED", stdout);
        Assert.Matches(@"weekly/\S+\s+\S+ \S+\s+10\s+0\s+0\s+0\s+2\s+1\s+1", stdout);
    }
}

using Blog.Inbox;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Blog.Tests.Inbox;

/// <summary>The reader in the running service (<c>blog run</c>), against the tests' Dovecot.</summary>
[Collection(SharedDovecot.Name)]
public sealed class InboxServiceTests(DovecotServer dovecot)
{
    [Fact]
    public async Task Mail_that_arrives_while_the_service_waits_is_read_at_once_through_idle_not_at_the_next_poll()
    {
        using var site = new TempFolder();
        using var blog = new InboxBlog(dovecot);
        await blog.SubscribeAsync("gone@example.net", "stays@example.net");
        // A poll far longer than the test may take: only IDLE can bring the report in.
        await using var running = await RunningBlog.StartAsync(InboxBlog.Content, site.Combine("out"), [.. blog.Settings, "--Mail:Inbox:PollInterval=00:25:00", "--Mail:MaxBounces=1"]);
        var service = running.Service<IEnumerable<IHostedService>>().OfType<InboxService>().Single();
        await Eventually.Until(() => service.IsWaiting, "the service waiting for mail");

        blog.Deliver(InboxBlog.Dsn("gone@example.net"));

        await Eventually.Until(() => service.Bounces == 1, "the report read through IDLE");
        Assert.Equal("bounced", await blog.StatusAsync("gone@example.net"));
        Assert.Equal("active", await blog.StatusAsync("stays@example.net"));
        Assert.Single(blog.Processed);
        Assert.Empty(blog.Inbox);
    }

    [Fact]
    public async Task An_unreachable_mailbox_is_logged_once_not_on_every_try()
    {
        using var site = new TempFolder();
        using var blog = new InboxBlog(dovecot);
        await using var running = await RunningBlog.StartAsync(InboxBlog.Content, site.Combine("out"), [.. blog.Settings, "--Mail:Inbox:Password=wrong"]);

        var service = running.Service<IEnumerable<IHostedService>>().OfType<InboxService>().Single();

        // The first try, and the one after the first backoff (5 s).
        await Eventually.Until(() => service.Failures >= 2, "a second try", seconds: 30);
        Assert.Equal(1, running.Log.Count("Cannot read the return mailbox", LogLevel.Error));
        Assert.Contains(running.Log.Entries, e => e.Message.Contains($"login refused for user \"{blog.User}\"", StringComparison.Ordinal));
    }
}

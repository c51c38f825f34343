using System.Net;
using Blog.Inbox;
using Blog.Tests.Inbox;
using Microsoft.Extensions.Hosting;

namespace Blog.Tests.Operations;

/// <summary>The return mailbox's messages counted by verdict, as the running service reads them from the tests' Dovecot.</summary>
[Collection(SharedDovecot.Name)]
public sealed class InboxMetricsTests(DovecotServer dovecot)
{
    [Fact]
    public async Task Messages_read_from_the_return_mailbox_are_counted_by_verdict_and_a_bounce_among_the_digests_bounces()
    {
        using var site = new TempFolder();
        using var blog = new InboxBlog(dovecot);
        await blog.SubscribeAsync("gone@example.net", "stays@example.net");
        blog.Deliver(InboxBlog.Dsn("gone@example.net"));
        blog.Deliver(InboxBlog.AutoReply("stays@example.net"));
        blog.Deliver(InboxBlog.Letter("reader@example.org"));
        await using var running = await RunningBlog.StartAsync(InboxBlog.Content, site.Combine("out"), [.. blog.Settings, "--Mail:MaxBounces=1"]);
        using var console = new HttpClient { BaseAddress = running.ConsoleAddress };
        var service = running.Service<IEnumerable<IHostedService>>().OfType<InboxService>().Single();
        await Eventually.Until(() => service.Bounces == 1 && blog.Processed.Count == 2, "the pass over the mailbox");

        var text = "";
        await Eventually.Until(async () =>
        {
            using var response = await console.GetAsync("metrics");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            text = await response.Content.ReadAsStringAsync();
            return PrometheusText.Value(text, "blog_inbox_messages_total", ("blog_inbox_verdict", "unhandled")) is not null;
        }, "the messages in the metrics");
        Assert.Equal(1, PrometheusText.Value(text, "blog_inbox_messages_total", ("blog_inbox_verdict", "feedback")));
        Assert.Equal(1, PrometheusText.Value(text, "blog_inbox_messages_total", ("blog_inbox_verdict", "ignored")));
        Assert.Equal(1, PrometheusText.Value(text, "blog_inbox_messages_total", ("blog_inbox_verdict", "unhandled")));
        Assert.Equal(1, PrometheusText.Value(text, "blog_digests_bounced_total", ("blog_bounce_type", "hard")));
    }
}

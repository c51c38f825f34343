using Blog.Cli;
using Blog.Digests;
using Blog.Mail;
using Blog.Posts;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using MimeKit;

namespace Blog.Tests.Digests;

/// <summary>
/// A refused login holds every later round off (Mail:RetryDelay, doubling) instead of logging in again at each poll.
/// The transport here refuses as MailKit's does on a 535 (that side is tested against a real server in SmtpMailTransportTests).
/// </summary>
public sealed class DigestPauseTests
{
    [Fact]
    public async Task After_a_refused_login_rounds_hold_off_without_logging_in_again_until_the_delay_has_passed()
    {
        await using var blog = await DigestBlog.CreateAsync(3);
        var transport = new RefusingTransport();
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var app = BlogCli.CreateService(["run", .. blog.Settings, "--Mail:RetryDelay=00:01:00", "--Mail:Smtp:MaxConnections=1"], services =>
        {
            services.AddSingleton<IMailTransport>(transport);
            services.AddSingleton<TimeProvider>(time);
        });
        var now = time.GetUtcNow();
        var published = (await app.Services.GetRequiredService<PublishedPosts>().SnapshotAsync(CancellationToken.None)).Published(now);
        await app.Services.GetRequiredService<DigestRuns>().PlanManualAsync("weekly", now, published, null, CancellationToken.None);
        var sender = app.Services.GetRequiredService<DigestSender>();
        var byId = published.ToDictionary(p => p.Id, StringComparer.Ordinal);

        var first = await sender.SendDueAsync(byId, null, CancellationToken.None);
        Assert.NotNull(first.Paused);
        Assert.Equal(1, transport.Tries);
        var second = await sender.SendDueAsync(byId, null, CancellationToken.None);
        Assert.NotNull(second.Paused);
        Assert.Equal(1, transport.Tries);
        // The outbox (confirmation mail) holds off too: it logs in to the same server.
        Assert.True((await app.Services.GetRequiredService<OutboxSender>().SendDueAsync(null, CancellationToken.None)).StoppedSending);

        time.Advance(TimeSpan.FromMinutes(1) + TimeSpan.FromSeconds(1));
        await sender.SendDueAsync(byId, null, CancellationToken.None);
        Assert.Equal(2, transport.Tries);
        Assert.Equal(3L, await blog.ScalarAsync("SELECT COUNT(*) FROM deliveries WHERE status = 'pending' AND attempts = 0"));
    }

    private sealed class RefusingTransport : IMailTransport
    {
        private int tries;

        public int Tries => Volatile.Read(ref tries);

        public string Describe() => "a server that refuses the password";

        public Task SendAsync(MimeMessage message, MailboxAddress? sender, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref tries);
            throw MailDeliveryException.Setup("the SMTP server refused the login (535 5.7.8 authentication failed)");
        }
    }
}

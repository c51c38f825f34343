using System.Globalization;
using Blog.Inbox;
using Blog.Tests.Digests;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;

namespace Blog.Tests.Inbox;

/// <summary>
/// The whole loop: <c>blog run</c> sends a digest with a return path per delivery through the SMTP test server, the
/// far side's bounces for two recipients come back to the return mailbox (Dovecot), and the running service acts on
/// them as they arrive.
/// </summary>
[Collection(SharedDovecot.Name)]
public sealed class InboxEndToEndTests(DovecotServer dovecot)
{
    [Fact]
    public async Task Bounces_for_two_recipients_of_a_digest_suspend_those_two_only_and_a_restart_counts_nothing_twice()
    {
        await using var blog = await DigestBlog.CreateAsync(5);
        using var output = new TempFolder();
        var (user, password) = dovecot.NewUser();
        string[] inbox = ["--Mail:ReturnPath=bounces@blog.example.com", "--Mail:MaxBounces=1",
            "--Mail:Inbox:Host=127.0.0.1", $"--Mail:Inbox:Port={dovecot.ImapPort.ToString(CultureInfo.InvariantCulture)}", "--Mail:Inbox:Security=StartTls",
            $"--Mail:Inbox:User={user}", $"--Mail:Inbox:Password={password}", $"--Mail:Inbox:TrustedCertificatePath={dovecot.CertificatePath}",
            // Far longer than the test: only IDLE brings the bounces in.
            "--Mail:Inbox:PollInterval=00:25:00"];
        var now = DateTimeOffset.UtcNow;
        var time = new FakeTimeProvider(now);
        var fire = now.AddMinutes(1);
        string[] settings = [.. blog.ServiceSettings, $"--Digests:Cadences:weekly:Cron={fire.Second} {fire.Minute} {fire.Hour} * * ?", "--Mail:PollInterval=00:00:00.200", .. inbox];

        string[] bounced = ["reader0001@example.com", "reader0003@example.com"];
        var reports = new List<string>();
        await using (var service = await RunningBlog.StartAsync(blog.Posts, output.Combine("out"), selfLinked: false, time, settings))
        {
            var reader = service.Service<IEnumerable<IHostedService>>().OfType<InboxService>().Single();
            await Eventually.Until(() => reader.IsWaiting, "the reader waiting for mail");
            time.Advance(TimeSpan.FromMinutes(1) + TimeSpan.FromSeconds(1));
            await Eventually.Until(() => blog.Smtp.Received.Count == 5, "the digest sent to all five");

            // The far server rewrote the address (a forwarder): only the return path still says who it was.
            foreach (var message in blog.Smtp.Received.Where(m => bounced.Contains(m.To.Mailboxes.Single().Address)))
                reports.Add(Dsn(blog.Smtp.EnvelopeSender(message), message.MessageId));
            foreach (var report in reports) dovecot.Deliver(user, report);

            await Eventually.Until(() => reader.Bounces == 2, "both bounces read");
        }
        foreach (var address in Enumerable.Range(0, 5).Select(i => $"reader{i:D4}@example.com"))
            Assert.Equal(bounced.Contains(address) ? "bounced" : "active", (string?)await blog.ScalarAsync($"SELECT status FROM subscribers WHERE address = '{address}'"));
        Assert.Equal(2L, await blog.ScalarAsync("SELECT COUNT(*) FROM subscriber_events WHERE kind = 'hard-bounce' AND source = 'imap' AND run_key IS NOT NULL"));
        Assert.Equal(2, dovecot.Messages(user, "Processed").Count);
        Assert.Empty(dovecot.Messages(user));

        // The same report again (a relay that sent it twice), then a restart: counted nowhere, and moved.
        dovecot.Deliver(user, reports[0]);
        await using (var service = await RunningBlog.StartAsync(blog.Posts, output.Combine("out"), selfLinked: false, new FakeTimeProvider(now.AddHours(1)), settings))
        {
            var reader = service.Service<IEnumerable<IHostedService>>().OfType<InboxService>().Single();
            await Eventually.Until(() => reader.IsWaiting, "the first pass after the restart");
            Assert.Equal(0, reader.Bounces);
        }
        Assert.Equal(2L, await blog.ScalarAsync("SELECT COUNT(*) FROM subscriber_events"));
        Assert.Equal(2L, await blog.ScalarAsync("SELECT SUM(bounces) FROM subscribers"));
        Assert.Equal(3, dovecot.Messages(user, "Processed").Count);
        Assert.Empty(dovecot.Messages(user));
    }

    /// <summary>A delivery report sent, as RFC 3464 has it, to the failed mail's envelope sender.</summary>
    private static string Dsn(string envelopeSender, string? originalId) => $"""
        Return-Path: <>
        Delivered-To: {envelopeSender}
        Date: Mon, 2 Mar 2026 08:01:02 +0000
        From: MAILER-DAEMON@mx.example.com (Mail Delivery System)
        Subject: Undelivered Mail Returned to Sender
        To: {envelopeSender}
        Auto-Submitted: auto-replied
        MIME-Version: 1.0
        Content-Type: multipart/report; report-type=delivery-status; boundary="b1"
        Message-Id: <{Guid.NewGuid():N}@mx.example.com>

        --b1
        Content-Type: text/plain; charset=us-ascii

        Your message could not be delivered.

        --b1
        Content-Type: message/delivery-status

        Reporting-MTA: dns; mx.example.com

        Final-Recipient: rfc822; someone-else@forward.example.org
        Action: failed
        Status: 5.1.1
        Diagnostic-Code: smtp; 550 5.1.1 User unknown

        --b1
        Content-Type: text/rfc822-headers

        Message-Id: <{originalId}>
        To: someone-else@forward.example.org

        --b1--

        """;
}

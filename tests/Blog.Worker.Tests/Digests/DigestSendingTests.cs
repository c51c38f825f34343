namespace Blog.Tests.Digests;

/// <summary><c>blog digest send</c> end to end: the send ledger on a real SQLite file, MailKit to an SMTP server on loopback that fails when told to.</summary>
public sealed class DigestSendingTests
{
    [Fact]
    public async Task Every_active_subscriber_gets_one_digest_and_sending_again_sends_nothing()
    {
        await using var blog = await DigestBlog.CreateAsync(25, "evals", "rag");
        var (exit, stdout, stderr) = await blog.RunAsync("digest", "send", "--cadence", "weekly");
        Assert.True(exit == 0, stderr);
        Assert.Contains("planned weekly/", stdout, StringComparison.Ordinal);
        Assert.Contains(": 25 subscribers", stdout, StringComparison.Ordinal);
        Assert.Contains("sent 25 digests", stdout, StringComparison.Ordinal);
        var perRecipient = blog.MessagesPerRecipient();
        Assert.Equal(25, perRecipient.Count);
        Assert.All(perRecipient.Values, n => Assert.Equal(1, n));

        var message = blog.Smtp.Received.First(m => m.To.Mailboxes.Single().Address == "reader0003@example.com");
        Assert.Equal("Blog: 2 new posts", message.Subject);
        Assert.Matches(@"^digest\.weekly\.manual-\d{4}-\d\d-\d\dT\d\d\.\d\d\.\d\d\.\d{3}Z\.\d+\.[a-z2-7]{16}@blog\.example\.com$", message.MessageId);
        Assert.Contains("Post 0", message.TextBody, StringComparison.Ordinal);
        Assert.Contains("Post 1", message.TextBody, StringComparison.Ordinal);
        Assert.StartsWith("<https://blog.example.com/unsubscribe?token=u.", message.Headers["List-Unsubscribe"], StringComparison.Ordinal);
        Assert.DoesNotContain("<img", message.HtmlBody, StringComparison.Ordinal);

        var again = await blog.RunAsync("digest", "send", "--cadence", "weekly");
        Assert.Contains("sent 0 digests", again.Out, StringComparison.Ordinal);
        Assert.Equal(25, blog.Smtp.Received.Count);
        var status = await blog.RunAsync("digest", "status");
        Assert.Matches(@"weekly/\S+\s+\S+ \S+\s+25\s+0\s+0\s+0", status.Out);
        Assert.Equal(25L, await blog.ScalarAsync("SELECT COUNT(*) FROM subscribers WHERE watermark IS NOT NULL"));
    }

    [Fact]
    public async Task With_nothing_new_nothing_is_sent_and_each_subscriber_is_recorded_as_skipped()
    {
        await using var blog = await DigestBlog.CreateAsync(4);
        // The posts are 45 minutes old: inside an hour's cool-off they are not mailable yet.
        var (exit, stdout, _) = await blog.RunAsync("digest", "send", "--cadence", "weekly", "--Digests:CoolOff=01:00:00");
        Assert.Equal(0, exit);
        Assert.Contains("sent 0 digests", stdout, StringComparison.Ordinal);
        Assert.Empty(blog.Smtp.Received);
        Assert.Matches(@"weekly/\S+\s+\S+ \S+\s+0\s+4\s+0\s+0", (await blog.RunAsync("digest", "status")).Out);
        Assert.Equal(4L, await blog.ScalarAsync("SELECT COUNT(*) FROM deliveries WHERE status = 'skipped' AND last_error = 'nothing new'"));
    }

    [Fact]
    public async Task A_4xx_reply_is_retried_and_the_retry_is_the_same_message()
    {
        await using var blog = await DigestBlog.CreateAsync(3);
        var refused = 0;
        blog.Smtp.Reply = m => m.To.Mailboxes.Single().Address == "reader0001@example.com" && Interlocked.Increment(ref refused) == 1
            ? (451, "4.7.1 greylisted, try again") : null;
        // The retry is due in an hour, so this round cannot come back to it; then it is made due, and the next send takes it.
        var (exit, stdout, _) = await blog.RunAsync("digest", "send", "--Mail:RetryDelay=01:00:00");
        Assert.Equal(0, exit);
        Assert.Contains("sent 2 digests", stdout, StringComparison.Ordinal);
        await DueNowAsync(blog);
        Assert.Contains("sent 1 digest", (await blog.RunAsync("digest", "send")).Out, StringComparison.Ordinal);
        Assert.Equal(3, blog.Smtp.Received.Count);
        Assert.All(blog.MessagesPerRecipient().Values, n => Assert.Equal(1, n));
        var tries = blog.Smtp.Attempted.Where(m => m.To.Mailboxes.Single().Address == "reader0001@example.com").Select(m => m.MessageId).ToList();
        Assert.Equal(2, tries.Count);
        Assert.Equal(tries[0], tries[1]);
        Assert.Equal(4, blog.Smtp.Attempts);
    }

    [Theory]
    [InlineData("MAIL")]
    [InlineData("RCPT")]
    public async Task A_4xx_reply_to_an_envelope_command_is_retried_and_sends_the_same_message_once(string command)
    {
        await using var blog = await DigestBlog.CreateAsync(3);
        var asked = 0;
        // MAIL FROM names the sender, the same for every message, so the first message to ask is the one refused.
        blog.Smtp.CommandReply = (verb, address) => verb == command && (command == "MAIL" || address == "reader0001@example.com")
            && Interlocked.Increment(ref asked) == 1 ? (451, "4.3.0 try again later") : null;
        var (exit, stdout, _) = await blog.RunAsync("digest", "send", "--Mail:RetryDelay=01:00:00");
        Assert.Equal(0, exit);
        Assert.Contains("sent 2 digests", stdout, StringComparison.Ordinal);
        await DueNowAsync(blog);
        Assert.Contains("sent 1 digest", (await blog.RunAsync("digest", "send")).Out, StringComparison.Ordinal);
        Assert.Equal(command == "MAIL" ? 4 : 2, asked);
        Assert.Equal(3, blog.Smtp.Received.Count);
        Assert.All(blog.MessagesPerRecipient().Values, n => Assert.Equal(1, n));
        Assert.Equal(3L, await blog.ScalarAsync("SELECT COUNT(*) FROM deliveries WHERE status = 'sent'"));
        Assert.Equal(4L, await blog.ScalarAsync("SELECT SUM(attempts) FROM deliveries"));
    }

    [Fact]
    public async Task A_5xx_reply_to_RCPT_fails_the_delivery_with_the_servers_text()
    {
        await using var blog = await DigestBlog.CreateAsync(2);
        blog.Smtp.CommandReply = (verb, address) => verb == "RCPT" && address == "reader0000@example.com" ? (550, "5.1.1 no such user") : null;
        var (exit, stdout, _) = await blog.RunAsync("digest", "send");
        Assert.Equal(1, exit);
        Assert.Contains("0 skipped, 1 failed", stdout, StringComparison.Ordinal);
        Assert.Single(blog.Smtp.Received);
        var error = await blog.ScalarAsync("SELECT last_error FROM deliveries WHERE status = 'failed'");
        Assert.Contains("550", (string)error!, StringComparison.Ordinal);
        Assert.Contains("no such user", (string)error!, StringComparison.Ordinal);
        Assert.Equal(1L, await blog.ScalarAsync("SELECT bounces FROM subscribers WHERE address = 'reader0000@example.com'"));
    }

    [Fact]
    public async Task A_5xx_reply_fails_the_delivery_counts_a_bounce_and_retry_requeues_only_the_failed()
    {
        await using var blog = await DigestBlog.CreateAsync(3);
        blog.Smtp.Reply = m => m.To.Mailboxes.Single().Address == "reader0002@example.com" ? (550, "5.1.1 mailbox unknown") : null;
        var (exit, stdout, _) = await blog.RunAsync("digest", "send", "--Mail:MaxBounces=1");
        Assert.Equal(1, exit);
        Assert.Contains("sent 2 digests to 127.0.0.1:", stdout, StringComparison.Ordinal);
        Assert.Contains("0 skipped, 1 failed", stdout, StringComparison.Ordinal);
        Assert.Equal("bounced", await blog.ScalarAsync("SELECT status FROM subscribers WHERE address = 'reader0002@example.com'"));
        Assert.Matches(@"^127\.0\.0\.1:\d+ answered 550: 5\.1\.1 mailbox unknown$", (string)(await blog.ScalarAsync("SELECT last_error FROM deliveries WHERE status = 'failed'"))!);

        var run = (string)(await blog.ScalarAsync("SELECT run_key FROM deliveries WHERE status = 'failed'"))!;
        var retry = await blog.RunAsync("digest", "retry", run);
        Assert.Contains($"re-queued 1 failed delivery of {run}", retry.Out, StringComparison.Ordinal);
        blog.Smtp.Reply = _ => null;
        // The subscriber is suspended now, so the re-queued delivery is recorded as skipped, not sent.
        var after = await blog.RunAsync("digest", "send", "--cadence", "daily");
        Assert.Contains("1 skipped", after.Out, StringComparison.Ordinal);
        Assert.Equal(2, blog.Smtp.Received.Count);

        var unknown = await blog.RunAsync("digest", "retry", "weekly/1999-01-01");
        Assert.Equal(1, unknown.Exit);
        Assert.Contains("there is no run \"weekly/1999-01-01\"", unknown.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task When_the_server_is_down_the_run_pauses_and_a_later_send_finishes_it_without_duplicates()
    {
        await using var blog = await DigestBlog.CreateAsync(12);
        // "Down": a port that is ours for the whole test (a freed port may be taken by another test), where every
        // connection is closed before the greeting.
        var down = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        down.Start();
        var closing = Task.Run(async () =>
        {
            try
            {
                while (true) (await down.AcceptTcpClientAsync()).Dispose();
            }
            catch (Exception e) when (e is System.Net.Sockets.SocketException or ObjectDisposedException)
            {
            }
        });
        var port = ((System.Net.IPEndPoint)down.LocalEndpoint).Port;
        var (exit, _, stderr) = await blog.RunAsync("digest", "send", "--Mail:ErrorBudget=3", $"--Mail:Smtp:Port={port}");
        down.Stop();
        await closing;
        Assert.Equal(1, exit);
        Assert.Contains("paused: the mail server failed 3 times in a row", stderr, StringComparison.Ordinal);
        Assert.Equal(12L, await blog.ScalarAsync("SELECT COUNT(*) FROM deliveries WHERE status = 'pending'"));

        await DueNowAsync(blog);
        var later = await blog.RunAsync("digest", "send", "--cadence", "daily");
        Assert.Contains("sent 12 digests", later.Out, StringComparison.Ordinal);
        Assert.Equal(12, blog.MessagesPerRecipient().Count);
        Assert.All(blog.MessagesPerRecipient().Values, n => Assert.Equal(1, n));
    }

    [Fact]
    public async Task A_claim_whose_lease_runs_out_in_the_queue_is_not_sent_beside_the_sender_that_took_it_over()
    {
        await using var blog = await DigestBlog.CreateAsync(12);
        // One connection at four a second: a claim of eight takes two seconds to send, twice the lease.
        string[] slow = ["--Digests:Lease=00:00:01", "--Mail:Smtp:MessagesPerSecond=4", "--Mail:Smtp:MaxConnections=1"];
        var first = blog.RunAsync(["digest", "send", "--cadence", "weekly", .. slow]);
        await Eventually.Until(() => !blog.Smtp.Received.IsEmpty, "the first sender under way");
        // The second plans nothing of its own (no daily subscribers) and takes over whatever the first lets lapse.
        var second = blog.RunAsync(["digest", "send", "--cadence", "daily", .. slow]);
        var results = await Task.WhenAll(first, second);
        Assert.All(results, r => Assert.True(r.Exit == 0, r.Err));
        // Always a third send: whatever lapsed in a round that then made no progress is left for the next round.
        Assert.Equal(0, (await blog.RunAsync("digest", "send", "--cadence", "daily")).Exit);
        var perRecipient = blog.MessagesPerRecipient();
        Assert.Equal(12, perRecipient.Count);
        Assert.All(perRecipient, p => Assert.True(p.Value == 1, $"{p.Key} got {p.Value} digests"));
    }

    [Fact]
    public async Task Preview_shows_the_next_digest_and_changes_nothing()
    {
        await using var blog = await DigestBlog.CreateAsync(2, "evals");
        var file = Path.Combine(blog.Data, "preview.eml");
        var (exit, stdout, _) = await blog.RunAsync("digest", "preview", "--to", "reader0001@example.com", "--out", file);
        Assert.Equal(0, exit);
        Assert.Contains("wrote the weekly digest for reader0001@example.com (1 post)", stdout, StringComparison.Ordinal);
        Assert.Contains("Post 0", MimeKit.MimeMessage.Load(file).TextBody, StringComparison.Ordinal);
        Assert.Empty(blog.Smtp.Received);
        Assert.Equal(0L, await blog.ScalarAsync("SELECT COUNT(*) FROM deliveries"));
        Assert.Equal(DBNull.Value, await blog.ScalarAsync("SELECT watermark FROM subscribers WHERE address = 'reader0001@example.com'"));

        var unknown = await blog.RunAsync("digest", "preview", "--to", "nobody@example.com");
        Assert.Equal(1, unknown.Exit);
        Assert.Contains("nobody@example.com is not on the list", unknown.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_connection_dropped_mid_DATA_is_retried_and_each_subscriber_gets_one_digest()
    {
        await using var blog = await DigestBlog.CreateAsync(6);
        await using var dropping = new DroppingSmtpServer(drops: 2);
        // The two dropped are retried in an hour, so not in this round; made due, the next send takes them.
        var (exit, stdout, stderr) = await blog.RunAsync("digest", "send", "--cadence", "weekly", $"--Mail:Smtp:Port={dropping.Port}", "--Mail:Smtp:MaxConnections=1",
            "--Mail:RetryDelay=01:00:00");
        Assert.True(exit == 0, stdout + stderr);
        Assert.Equal(4, dropping.Accepted.Count);
        await DueNowAsync(blog);
        (exit, stdout, stderr) = await blog.RunAsync("digest", "send", "--cadence", "weekly", $"--Mail:Smtp:Port={dropping.Port}");
        Assert.True(exit == 0, stdout + stderr);
        Assert.True(dropping.Drops < 0, "both drops happened");
        Assert.Equal(6, dropping.Accepted.Count);
        Assert.Equal(6, dropping.Accepted.Distinct().Count());
        // Each send is a run of its own: the second recorded the subscribers the first still had pending as skipped.
        Assert.Equal(0L, await blog.ScalarAsync("SELECT COUNT(*) FROM deliveries WHERE status IN ('pending', 'failed')"));
    }

    [Fact]
    public async Task A_refused_login_pauses_sending_at_once_and_leaves_every_delivery_as_it_was()
    {
        await using var blog = await DigestBlog.CreateAsync(5);
        await using var guarded = await SmtpTestServer.StartAsync(login: ("blog", "right-Pa55"), plainAuthentication: true);
        string[] server = [$"--Mail:Smtp:Port={guarded.Port}", "--Mail:Smtp:User=blog", "--Mail:Smtp:Security=None"];

        var (exit, stdout, stderr) = await blog.RunAsync(["digest", "send", "--cadence", "weekly", .. server, "--Mail:Smtp:Password=wrong-Pa55"]);
        Assert.Equal(1, exit);
        Assert.Contains("paused:", stderr, StringComparison.Ordinal);
        Assert.Contains("sent 0 digests", stdout, StringComparison.Ordinal);
        Assert.Empty(guarded.Received);
        Assert.Equal(5L, await blog.ScalarAsync("SELECT COUNT(*) FROM deliveries WHERE status = 'pending' AND attempts = 0 AND lease_until IS NULL"));
        Assert.Equal(0L, await blog.ScalarAsync("SELECT MAX(bounces) FROM subscribers"));

        // Fixed: the same deliveries go, once each.
        (exit, stdout, stderr) = await blog.RunAsync(["digest", "send", "--cadence", "weekly", .. server, "--Mail:Smtp:Password=right-Pa55"]);
        Assert.True(exit == 0, stderr);
        Assert.Equal(5, guarded.Received.Count);
        Assert.Equal(5, guarded.Received.Select(m => m.To.Mailboxes.Single().Address).Distinct().Count());
    }

    /// <summary>Every pending delivery's retry falls due now, instead of waiting for its backoff on the clock.</summary>
    private static async Task DueNowAsync(DigestBlog blog) => await blog.ScalarAsync("UPDATE deliveries SET next_attempt_at = 0 WHERE status = 'pending'");
}

using Blog.Mail;
using Blog.Storage;
using Blog.MailingList;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Blog.Tests.Mail;

/// <summary>The outbox on a real SQLite file, sending to a real SMTP server that fails when told to.</summary>
public sealed class OutboxSenderTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Start = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
    private readonly TempFolder folder = new();
    private readonly FakeTimeProvider time = new(Start);
    private SmtpTestServer server = null!;
    private SqliteDatabase database = null!;

    public async Task InitializeAsync()
    {
        server = await SmtpTestServer.StartAsync();
        database = TestSubscriptions.Database(folder.Path);
    }

    public async Task DisposeAsync()
    {
        database.Dispose();
        await server.DisposeAsync();
        folder.Dispose();
    }

    private (OutboxSender Sender, SqlMailOutbox Outbox, SmtpMailTransport Transport) Sender(int maxAttempts = 10, DkimOptions? dkim = null,
        SmtpOptions? smtp = null, ILogger<OutboxSender>? logger = null, int errorBudget = 10, TimeSpan? lease = null,
        Func<IOptions<MailOptions>, SendingRate>? rate = null)
    {
        var options = Options.Create(new MailOptions
        {
            Transport = MailTransportKind.Smtp,
            MaxAttempts = maxAttempts,
            ErrorBudget = errorBudget,
            OutboxLease = lease ?? TimeSpan.FromMinutes(5),
            RetryDelay = TimeSpan.FromSeconds(30),
            Smtp = smtp ?? new SmtpOptions { Host = "127.0.0.1", Port = server.Port, Security = SmtpSecurity.None, Timeout = TimeSpan.FromSeconds(10) },
            Dkim = dkim ?? new DkimOptions(),
        });
        var outbox = new SqlMailOutbox(database);
        var transport = new SmtpMailTransport(options, NullLogger<SmtpMailTransport>.Instance);
        return (new OutboxSender(outbox, transport, new MessageSigner(options), options, time, logger ?? NullLogger<OutboxSender>.Instance,
            rate: rate?.Invoke(options)), outbox, transport);
    }

    private async Task Queue(params string[] addresses)
    {
        var composer = new MailComposer(Options.Create(new MailOptions { From = "news@blog.example.com" }), time);
        await new SqlSubscriberStore(database).ImportAsync([.. addresses.Select(a => TestSubscriptions.Draft(a))], time.GetUtcNow(),
            s => composer.Queue(new MailDraft(EmailAddress.Parse(s.Address), "Confirm", "text", "<p>html</p>", $"confirm.{s.Id}@blog.example.com",
                "confirm", new Uri("https://blog.example.com/unsubscribe?token=x"))), null, CancellationToken.None);
    }

    [Fact]
    public async Task Everything_due_is_sent_once_and_leaves_the_outbox()
    {
        await Queue("a@example.com", "b@example.com", "c@example.com");
        var (sender, outbox, transport) = Sender();
        await using (transport)
        {
            Assert.Equal(new OutboxRound(3, 0, 0, 0, null), await sender.SendDueAsync(null, CancellationToken.None));
            Assert.Equal(new OutboxRound(0, 0, 0, 0, null), await sender.SendDueAsync(null, CancellationToken.None));
        }
        Assert.Equal(3, server.Received.Count);
        Assert.Equal(new OutboxCounts(0, 0), await outbox.CountAsync(CancellationToken.None));
    }

    [Fact]
    public async Task A_slow_server_never_makes_a_claim_outlive_its_lease_beside_a_second_sender()
    {
        await Queue("a@example.com", "b@example.com", "c@example.com", "d@example.com", "e@example.com", "f@example.com");
        // One connection: on the fake clock, messages in flight at once would each add their minute, as if sent in turn.
        var one = new SmtpOptions { Host = "127.0.0.1", Port = server.Port, Security = SmtpSecurity.None, Timeout = TimeSpan.FromSeconds(10), MaxConnections = 1 };
        var (first, _, firstTransport) = Sender(smtp: one);
        var (second, _, secondTransport) = Sender(smtp: one);
        await using var a = firstTransport;
        await using var b = secondTransport;
        Task<OutboxRound>? other = null;
        // Each message takes the server a minute: the five-minute claim of all six would run out before the last.
        server.Reply = _ =>
        {
            time.Advance(TimeSpan.FromMinutes(1));
            if (time.GetUtcNow() - Start >= TimeSpan.FromMinutes(5)) other ??= Task.Run(() => second.SendDueAsync(null, CancellationToken.None));
            return null;
        };
        var round = await first.SendDueAsync(null, CancellationToken.None);
        if (other is not null) round = round with { Sent = round.Sent + (await other).Sent };
        Assert.Equal(6, round.Sent);
        Assert.All(server.Received.GroupBy(m => m.To.Mailboxes.Single().Address), g => Assert.True(g.Count() == 1, $"{g.Key} got {g.Count()}"));
        Assert.Equal(6, server.Received.Count);
    }

    [Fact]
    public async Task A_4xx_reply_is_retried_later_with_backoff_and_the_retry_keeps_the_message_id()
    {
        await Queue("a@example.com");
        var refusals = 2;
        server.Reply = _ => Interlocked.Decrement(ref refusals) >= 0 ? (451, "4.3.0 busy") : null;
        var (sender, outbox, transport) = Sender();
        await using var _ = transport;

        var first = await sender.SendDueAsync(null, CancellationToken.None);
        Assert.Equal((0, 1), (first.Sent, first.Deferred));
        Assert.Contains("451", first.TransientError, StringComparison.Ordinal);

        time.Advance(TimeSpan.FromSeconds(29));
        Assert.Equal(new OutboxRound(0, 0, 0, 0, null), await sender.SendDueAsync(null, CancellationToken.None));
        Assert.Equal(1, server.Attempts);
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(1, (await sender.SendDueAsync(null, CancellationToken.None)).Deferred);

        // The second retry waits twice as long.
        time.Advance(TimeSpan.FromSeconds(59));
        Assert.Equal(0, (await sender.SendDueAsync(null, CancellationToken.None)).Sent);
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(1, (await sender.SendDueAsync(null, CancellationToken.None)).Sent);

        Assert.Equal(3, server.Attempts);
        Assert.Equal("confirm.1@blog.example.com", Assert.Single(server.Received).MessageId);
        Assert.Equal(new OutboxCounts(0, 0), await outbox.CountAsync(CancellationToken.None));
    }

    [Fact]
    public async Task A_5xx_reply_is_recorded_as_failed_and_never_tried_again_while_the_rest_goes()
    {
        await Queue("gone@example.com", "b@example.com");
        server.Reply = m => m.To.Mailboxes.Single().Address == "gone@example.com" ? (550, "5.1.1 no such user") : null;
        var (sender, outbox, transport) = Sender();
        await using var _ = transport;
        Assert.Equal(new OutboxRound(1, 1, 0, 0, null), await sender.SendDueAsync(null, CancellationToken.None));
        time.Advance(TimeSpan.FromDays(1));
        Assert.Equal(new OutboxRound(0, 0, 0, 0, null), await sender.SendDueAsync(null, CancellationToken.None));
        Assert.Equal(new OutboxCounts(0, 1), await outbox.CountAsync(CancellationToken.None));
        Assert.Equal(2, server.Attempts);
    }

    [Fact]
    public async Task After_the_last_attempt_a_transient_failure_is_recorded_as_failed()
    {
        await Queue("a@example.com");
        server.Reply = _ => (421, "4.7.0 closing");
        var (sender, outbox, transport) = Sender(maxAttempts: 2);
        await using var _ = transport;
        await sender.SendDueAsync(null, CancellationToken.None);
        time.Advance(TimeSpan.FromMinutes(1));
        var last = await sender.SendDueAsync(null, CancellationToken.None);
        Assert.Equal(1, last.Failed);
        Assert.Equal(new OutboxCounts(0, 1), await outbox.CountAsync(CancellationToken.None));
    }

    [Fact]
    public async Task When_the_server_is_down_the_round_pauses_at_the_error_budget_and_the_untried_mail_waits_unclaimed()
    {
        await Queue("a@example.com", "b@example.com", "c@example.com");
        await server.DisposeAsync();
        var (sender, outbox, transport) = Sender(errorBudget: 1);
        await using var _ = transport;
        var round = await sender.SendDueAsync(null, CancellationToken.None);
        // One tried and deferred; the two never tried are handed back, not deferred.
        Assert.Equal((0, 1, 2), (round.Sent, round.Deferred, round.Released));
        Assert.NotNull(round.TransientError);
        Assert.Equal(new OutboxCounts(3, 0), await outbox.CountAsync(CancellationToken.None));
        // The two that were never tried are not held by a lease.
        Assert.Equal(2, (await outbox.ClaimAsync(time.GetUtcNow(), TimeSpan.FromMinutes(5), 10, CancellationToken.None)).Count);
        server = await SmtpTestServer.StartAsync();
    }

    [Fact]
    public async Task A_refused_password_pauses_the_round_at_once_and_leaves_every_mail_pending_with_no_attempt_counted()
    {
        await Queue("a@example.com", "b@example.com", "c@example.com");
        await using var guarded = await SmtpTestServer.StartAsync(login: ("blog", "right-Pa55"), plainAuthentication: true);
        var log = new RecordingLogger();
        var (sender, outbox, transport) = Sender(logger: log, smtp: new SmtpOptions
        {
            Host = "127.0.0.1", Port = guarded.Port, Security = SmtpSecurity.None, User = "blog", Password = "wrong-Pa55", Timeout = TimeSpan.FromSeconds(10),
        });
        await using var _ = transport;

        var round = await sender.SendDueAsync(null, CancellationToken.None);
        Assert.True(round.StoppedSending);
        // Nothing was tried: all three handed back, none deferred.
        Assert.Equal((0, 0, 0, 3), (round.Sent, round.Failed, round.Deferred, round.Released));
        Assert.Contains("login refused", round.TransientError, StringComparison.Ordinal);
        // One connection's login tried (MailKit tries each mechanism on it), not one per message; nothing reached the server.
        Assert.Single(guarded.Commands, c => c == "EHLO");
        Assert.True(guarded.Logins > 0);
        Assert.Empty(guarded.Attempted);

        // Still pending, due now, held by no lease, and no attempt counted against any of them.
        Assert.Equal(new OutboxCounts(3, 0), await outbox.CountAsync(CancellationToken.None));
        var waiting = await outbox.ClaimAsync(time.GetUtcNow(), TimeSpan.FromMinutes(5), 10, CancellationToken.None);
        Assert.Equal(3, waiting.Count);
        Assert.All(waiting, i => Assert.Equal(0, i.Attempts));

        var line = Assert.Single(log.Lines, l => l.Level >= LogLevel.Warning);
        Assert.Equal(LogLevel.Error, line.Level);
        Assert.Contains("login refused for user \"blog\"", line.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("wrong-Pa55", string.Join("\n", log.Lines.Select(l => l.Message)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task After_a_refused_password_rounds_hold_off_without_logging_in_again_and_the_wait_doubles()
    {
        await Queue("a@example.com");
        await using var guarded = await SmtpTestServer.StartAsync(login: ("blog", "right-Pa55"), plainAuthentication: true);
        var log = new RecordingLogger();
        var (sender, outbox, transport) = Sender(logger: log, smtp: new SmtpOptions
        {
            Host = "127.0.0.1", Port = guarded.Port, Security = SmtpSecurity.None, User = "blog", Password = "wrong-Pa55", Timeout = TimeSpan.FromSeconds(10),
        });
        await using var _ = transport;
        int Sessions() => guarded.Commands.Count(c => c == "EHLO");
        int Lines() => log.Lines.Count(l => l.Level >= LogLevel.Warning);

        Assert.True((await sender.SendDueAsync(null, CancellationToken.None)).StoppedSending);
        Assert.Equal((1, 1), (Sessions(), Lines()));

        // The service looks every poll interval and when woken: within the pause that costs no login and no log line.
        time.Advance(TimeSpan.FromSeconds(29));
        var held = await sender.SendDueAsync(null, CancellationToken.None);
        Assert.True(held.StoppedSending);
        Assert.Contains("login refused", held.TransientError, StringComparison.Ordinal);
        Assert.Equal((1, 1), (Sessions(), Lines()));

        time.Advance(TimeSpan.FromSeconds(1));
        Assert.True((await sender.SendDueAsync(null, CancellationToken.None)).StoppedSending);
        Assert.Equal((2, 2), (Sessions(), Lines()));

        // Twice as long the second time.
        time.Advance(TimeSpan.FromSeconds(59));
        await sender.SendDueAsync(null, CancellationToken.None);
        Assert.Equal(2, Sessions());
        time.Advance(TimeSpan.FromSeconds(1));
        await sender.SendDueAsync(null, CancellationToken.None);
        Assert.Equal(3, Sessions());
        Assert.Equal(new OutboxCounts(1, 0), await outbox.CountAsync(CancellationToken.None));
    }

    [Fact]
    public async Task With_DKIM_set_every_sent_mail_is_signed()
    {
        await Queue("a@example.com");
        var keys = DkimKeys.Create(folder.Path);
        var (sender, _, transport) = Sender(dkim: new DkimOptions { Domain = "blog.example.com", Selector = "mail", PrivateKeyPath = keys.PrivateKeyPath });
        await using var _ = transport;
        await sender.SendDueAsync(null, CancellationToken.None);
        Assert.True(keys.Verify(Assert.Single(server.Received)));
    }

    [Theory]
    // The first message proves the login, whether the server took it or refused it for good.
    [InlineData(0, 4, 0)]
    // Regression: only a sent message opened them, so after a refused first message one connection sent the rest.
    [InlineData(550, 3, 1)]
    public async Task Once_the_server_has_judged_a_first_message_confirmation_mail_goes_over_several_connections_at_once(
        int firstReply, int sent, int failed)
    {
        await Queue("a@example.com", "b@example.com", "c@example.com", "d@example.com");
        using var together = new CountdownEvent(3);
        var first = 1;
        var allInFlight = true;
        server.Reply = _ =>
        {
            // The first opens the other connections; then three are held until all three are in flight.
            if (Interlocked.Exchange(ref first, 0) == 1) return firstReply == 0 ? null : (firstReply, "5.1.1 no such user");
            together.Signal();
            if (!together.Wait(TimeSpan.FromSeconds(10))) allInFlight = false;
            return null;
        };
        var (sender, _, transport) = Sender(smtp: new SmtpOptions
        {
            Host = "127.0.0.1", Port = server.Port, Security = SmtpSecurity.None, Timeout = TimeSpan.FromSeconds(30), MaxConnections = 3,
        });
        await using var _ = transport;
        var round = await sender.SendDueAsync(null, CancellationToken.None);
        Assert.Equal((sent, failed), (round.Sent, round.Failed));
        Assert.True(allInFlight, "three messages were never in flight at once");
    }

    [Fact]
    public async Task Mail_Smtp_MessagesPerSecond_spaces_the_confirmation_mail()
    {
        await Queue("a@example.com", "b@example.com", "c@example.com", "d@example.com", "e@example.com");
        var arrivals = new System.Collections.Concurrent.ConcurrentQueue<TimeSpan>();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        server.Reply = _ =>
        {
            arrivals.Enqueue(clock.Elapsed);
            return null;
        };
        var (sender, _, transport) = Sender(smtp: new SmtpOptions
        {
            Host = "127.0.0.1", Port = server.Port, Security = SmtpSecurity.None, Timeout = TimeSpan.FromSeconds(30), MessagesPerSecond = 2,
        });
        await using var _ = transport;
        Assert.Equal(5, (await sender.SendDueAsync(null, CancellationToken.None)).Sent);
        // Five messages at two a second: the fifth cannot begin before two seconds have passed since the round began.
        // The limiter's timer may fire a little early by the stopwatch (0.7 ms was seen), so the bound allows 100 ms;
        // without the limiter all five arrive within a third of a second.
        Assert.Equal(5, arrivals.Count);
        Assert.True(arrivals.Max() >= TimeSpan.FromSeconds(1.9), $"the fifth arrived after {arrivals.Max()}");
    }

    [Fact]
    public async Task Mail_Smtp_MessagesPerSecond_is_one_limit_over_every_round_and_every_sender()
    {
        var arrivals = new System.Collections.Concurrent.ConcurrentQueue<TimeSpan>();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        server.Reply = _ =>
        {
            arrivals.Enqueue(clock.Elapsed);
            return null;
        };
        var smtp = new SmtpOptions
        {
            Host = "127.0.0.1", Port = server.Port, Security = SmtpSecurity.None, Timeout = TimeSpan.FromSeconds(30), MessagesPerSecond = 2,
        };
        // Two senders (as digests and the outbox are two pipelines), one rate for the process.
        SendingRate? shared = null;
        var (first, _, firstTransport) = Sender(smtp: smtp, rate: o => shared ??= new SendingRate(o));
        var (second, _, secondTransport) = Sender(smtp: smtp, rate: _ => shared!);
        await using var _ = firstTransport;
        await using var __ = secondTransport;
        using var ___ = shared;
        // One mail a round, in turn: a limiter per round or per sender starts full every time and lets each go at once.
        for (var i = 0; i < 5; i++)
        {
            await Queue($"user{i}@example.com");
            Assert.Equal(1, (await (i % 2 == 0 ? first : second).SendDueAsync(null, CancellationToken.None)).Sent);
        }
        // Five messages at two a second: the fifth at least 1.5 s after the first took the token the bucket held (less
        // 100 ms for the limiter's timer firing early); with a fresh limiter each round, all five within half a second.
        Assert.Equal(5, arrivals.Count);
        var spread = arrivals.Max() - arrivals.Min();
        Assert.True(spread >= TimeSpan.FromSeconds(1.4), $"five arrived within {spread}: {string.Join(", ", arrivals)}");
    }

    [Fact]
    public async Task The_outbox_lease_is_the_Mail_OutboxLease_setting()
    {
        await Queue("a@example.com");
        var (sender, outbox, transport) = Sender(lease: TimeSpan.FromMinutes(1));
        await using var _ = transport;
        int? held = null, free = null;
        server.Reply = _ =>
        {
            // While the sender holds it: still held 59 s on, free for another sender 61 s on.
            held ??= outbox.ClaimAsync(time.GetUtcNow() + TimeSpan.FromSeconds(59), TimeSpan.FromMinutes(1), 10, CancellationToken.None).GetAwaiter().GetResult().Count;
            free ??= outbox.ClaimAsync(time.GetUtcNow() + TimeSpan.FromSeconds(61), TimeSpan.FromMinutes(1), 10, CancellationToken.None).GetAwaiter().GetResult().Count;
            return null;
        };
        Assert.Equal(1, (await sender.SendDueAsync(null, CancellationToken.None)).Sent);
        Assert.Equal((0, 1), (held, free));
    }

    [Theory]
    [InlineData("00:00:00")]
    [InlineData("2.00:00:00")]
    public void An_outbox_lease_out_of_range_is_refused_with_its_key_and_value(string lease)
    {
        var result = new MailOptionsValidator().Validate(null, new MailOptions { OutboxLease = TimeSpan.Parse(lease, System.Globalization.CultureInfo.InvariantCulture) });
        Assert.Contains($"Mail:OutboxLease must be between 00:00:01 and 1.00:00:00, but is {lease}.", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_a_return_path_a_confirmation_goes_out_from_an_address_that_names_its_subscriber_and_outbox_item()
    {
        await using var blog = await Digests.DigestBlog.CreateAsync(2);
        var (exit, _, stderr) = await blog.RunAsync("subscribers", "add", "new@example.com", "--Mail:ReturnPath=bounces@blog.example.com");
        Assert.True(exit == 0, stderr);
        var confirmation = Assert.Single(blog.Smtp.Received);
        Assert.Equal("newsletter@blog.example.com", confirmation.From.Mailboxes.Single().Address);
        var id = (long)(await blog.ScalarAsync("SELECT id FROM subscribers WHERE address = 'new@example.com'"))!;
        // The first mail the outbox ever held, and gone from it once sent.
        var token = Digests.DigestSenderReturnPathTests.Returns(blog.Data, "bounces@blog.example.com").Read(blog.Smtp.EnvelopeSender(confirmation));
        Assert.Equal(new Blog.Feedback.ReturnToken(Blog.Feedback.ReturnAddress.Mail, id, 1), token);
    }

    [Fact]
    public async Task Without_a_return_path_a_confirmation_goes_out_from_the_from_address()
    {
        await using var blog = await Digests.DigestBlog.CreateAsync(1);
        var (exit, _, stderr) = await blog.RunAsync("subscribers", "add", "new@example.com");
        Assert.True(exit == 0, stderr);
        Assert.Equal("newsletter@blog.example.com", blog.Smtp.EnvelopeSender(Assert.Single(blog.Smtp.Received)));
    }

    private sealed class RecordingLogger : ILogger<OutboxSender>
    {
        public System.Collections.Concurrent.ConcurrentQueue<(LogLevel Level, string Message)> Lines { get; } = new();

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Lines.Enqueue((logLevel, formatter(state, exception)));
    }
}

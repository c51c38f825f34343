using Blog.Cli;
using Blog.Feedback;
using Blog.Storage;

namespace Blog.Tests.Cli;

/// <summary><c>blog subscribers ...</c> in-process, on a real data folder, as a script would run it.</summary>
public sealed class SubscriberCommandsTests : IDisposable
{
    private readonly TempFolder folder = new();

    private string Data => folder.Combine("data");

    private PickupMail Mail => new(folder.Combine("data", "mail"));

    private async Task<(int Exit, string Out, string Err)> Blog(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        // add and import check tags against the posts, so they take the post folder too.
        string[] content = args[1] is "add" or "import" ? ["--content", Path.Combine(TestSite.RepositoryRoot(), "content", "posts")] : [];
        var exit = await BlogCli.RunAsync([.. args, "--data", Data, .. content], stdout, stderr);
        return (exit, stdout.ToString(), stderr.ToString());
    }

    [Fact]
    public async Task Add_puts_a_pending_address_on_the_list_and_mails_its_confirmation()
    {
        var (exit, stdout, stderr) = await Blog("subscribers", "add", "Ann@Example.COM", "--tags", "evals,RAG", "--cadence", "daily");
        Assert.Equal(0, exit);
        Assert.Equal("", stderr);
        Assert.Contains("added Ann@example.com (pending, daily, tags: evals, rag)", stdout, StringComparison.Ordinal);
        Assert.Contains($"sent 1 mail to {folder.Combine("data", "mail")}", stdout, StringComparison.Ordinal);
        var mail = Assert.Single(Mail.To("Ann@example.com"));
        Assert.Contains("/confirm?token=c.", mail.TextBody, StringComparison.Ordinal);

        var list = await Blog("subscribers", "list");
        Assert.Contains("Ann@example.com                          pending      daily", list.Out, StringComparison.Ordinal);
        Assert.Contains("1 subscriber: 0 active, 1 pending, 0 unsubscribed, 0 bounced, 0 complained", list.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task List_shows_mail_that_is_still_queued()
    {
        // The pickup folder cannot be written (a file is in the way): the confirmation stays queued, and says so.
        folder.Write("blocked", "a file");
        var (exit, _, stderr) = await Blog("subscribers", "add", "ann@example.com", $"--Mail:PickupPath={folder.Combine("blocked", "mail")}");
        Assert.Equal(0, exit);
        Assert.Contains("blog: 1 mail kept in the queue for the running service (blog run) to send: cannot write", stderr, StringComparison.Ordinal);
        var list = await Blog("subscribers", "list");
        Assert.Contains("mail queue: 1 waiting to be sent, 0 failed for good", list.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task When_mail_cannot_go_the_import_says_how_many_wait_not_how_many_were_in_one_batch()
    {
        // Regression: the count came from the outbox's claim batch (50), not from what was left in the queue.
        folder.Write("blocked", "a file");
        var csv = folder.Write("list.csv", "email\n" + string.Concat(Enumerable.Range(0, 60).Select(i => $"r{i}@example.com\n")));
        var (exit, _, stderr) = await Blog("subscribers", "import", csv, $"--Mail:PickupPath={folder.Combine("blocked", "mail")}");
        Assert.Equal(0, exit);
        Assert.Contains("blog: 60 mails kept in the queue for the running service (blog run) to send: cannot write", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_a_mail_server_that_fails_for_now_the_command_stops_at_the_first_failure()
    {
        // Regression: the command carried on to Mail:ErrorBudget failures, each up to Smtp:Timeout with a host that
        // drops packets; the running service keeps the budget, a command at the terminal tries once.
        await using var server = await SmtpTestServer.StartAsync();
        server.Reply = _ => (451, "4.3.0 busy");
        var csv = folder.Write("list.csv", "email\na@example.com\nb@example.com\nc@example.com\n");
        var (exit, _, stderr) = await Blog("subscribers", "import", csv, "--Mail:Transport=Smtp", "--Mail:Smtp:Host=127.0.0.1",
            $"--Mail:Smtp:Port={server.Port}", "--Mail:Smtp:Security=None");
        Assert.Equal(0, exit);
        Assert.Single(server.Attempted);
        Assert.Contains("blog: 3 mails kept in the queue for the running service (blog run) to send:", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Add_with_confirmed_is_active_at_once_and_sends_nothing()
    {
        var (exit, stdout, _) = await Blog("subscribers", "add", "bob@bücher.de", "--confirmed");
        Assert.Equal(0, exit);
        Assert.Contains("added bob@xn--bcher-kva.de (active, weekly, every post)", stdout, StringComparison.Ordinal);
        Assert.Empty(Mail.All());
    }

    [Theory]
    [InlineData(new[] { "not-an-address" }, "blog: EMAIL: an address needs a name, @ and a domain, like name@example.com (value: \"not-an-address\")")]
    [InlineData(new[] { "a@example.com\nBcc: x@example.com" }, "control character (value: \"a@example.com\\u000aBcc: x@example.com\")")]
    [InlineData(new[] { "a@example.com", "--cadence", "hourly" }, "blog: --cadence: unknown cadence \"hourly\"; the cadences are daily, weekly")]
    [InlineData(new[] { "a@example.com", "--tags", "evals,cooking" }, "blog: --tags: unknown tag \"cooking\"; the tags are ")]
    public async Task Add_refuses_bad_input_with_a_clear_message_and_stores_nothing(string[] args, string message)
    {
        var (exit, _, stderr) = await Blog(["subscribers", "add", .. args]);
        Assert.Equal(1, exit);
        Assert.Contains(message, stderr, StringComparison.Ordinal);
        Assert.Contains("0 subscribers", (await Blog("subscribers", "list")).Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Adding_a_known_address_again_changes_nothing_and_says_so()
    {
        await Blog("subscribers", "add", "ann@example.com", "--confirmed");
        var (exit, _, stderr) = await Blog("subscribers", "add", "ann@EXAMPLE.com", "--cadence", "daily");
        Assert.Equal(1, exit);
        Assert.Contains("ann@example.com (active, weekly, every post) is already on the list; nothing changed", stderr, StringComparison.Ordinal);
    }

    /// <summary>Records a report against an address through the real store, as a webhook with a verified signature would.</summary>
    private async Task ReportAsync(string address, FeedbackKind kind, string key, string diagnostic = "", DateTimeOffset? at = null)
    {
        using var database = TestSubscriptions.Database(Data);
        await new SqlFeedbackStore(database).RecordAsync(
            new FeedbackEvent(key, kind, "imap", at ?? DateTimeOffset.UtcNow, new FeedbackTarget(Address: address) { Trusted = true }, diagnostic),
            new FeedbackRules(2, 5, TimeSpan.FromDays(14)), CancellationToken.None);
    }

    [Fact]
    public async Task Add_never_brings_back_an_address_that_left_and_says_why()
    {
        await Blog("subscribers", "add", "ann@example.com", "--confirmed");
        await Blog("subscribers", "add", "bob@example.com", "--confirmed");
        await Blog("subscribers", "add", "carol@example.com", "--confirmed");
        await ReportAsync("ann@example.com", FeedbackKind.Complaint, "arf-1");
        await Blog("subscribers", "remove", "bob@example.com");

        var complained = await Blog("subscribers", "add", "ann@example.com", "--confirmed");
        Assert.Equal(1, complained.Exit);
        Assert.Contains("blog: ann@example.com (complained, weekly, every post) marked our mail as spam; nothing changed. " +
            "Only their own sign-up, confirmed by them, can bring them back", complained.Err, StringComparison.Ordinal);
        var left = await Blog("subscribers", "add", "bob@example.com");
        Assert.Contains("blog: bob@example.com (unsubscribed, weekly, every post) left the list; nothing changed", left.Err, StringComparison.Ordinal);

        // Erased after the complaint: still kept off, and said so without the address ever being stored.
        Assert.Equal(0, (await Blog("subscribers", "forget", "ann@example.com")).Exit);
        var erased = await Blog("subscribers", "add", "Ann@example.com", "--confirmed");
        Assert.Equal(1, erased.Exit);
        Assert.Contains("blog: Ann@example.com was erased after a spam complaint and is kept off the list; nothing changed", erased.Err, StringComparison.Ordinal);
        var csv = folder.Write("list.csv", "email\nann@example.com\ndave@example.com\n");
        var import = await Blog("subscribers", "import", csv, "--confirmed");
        Assert.Contains($"imported 1 address from {csv}; 1 erased after a spam complaint, kept off the list", import.Out, StringComparison.Ordinal);
        Assert.Contains("3 subscribers: 2 active, 0 pending, 1 unsubscribed, 0 bounced, 0 complained", (await Blog("subscribers", "list")).Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task List_shows_one_status_when_asked_and_counts_the_complained()
    {
        foreach (var address in new[] { "ann@example.com", "bob@example.com", "carol@example.com" }) await Blog("subscribers", "add", address, "--confirmed");
        await ReportAsync("ann@example.com", FeedbackKind.Complaint, "arf-1");
        await ReportAsync("bob@example.com", FeedbackKind.HardBounce, "dsn-1");
        await ReportAsync("bob@example.com", FeedbackKind.HardBounce, "dsn-2");

        var complained = await Blog("subscribers", "list", "--status", "complained");
        Assert.Equal(0, complained.Exit);
        Assert.Contains("ann@example.com                          complained", complained.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("bob@example.com", complained.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("carol@example.com", complained.Out, StringComparison.Ordinal);
        Assert.Contains("3 subscribers: 1 active, 0 pending, 0 unsubscribed, 1 bounced, 1 complained", complained.Out, StringComparison.Ordinal);
        var bounced = await Blog("subscribers", "list", "--status", "Bounced");
        Assert.Contains("bob@example.com                          bounced", bounced.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("ann@example.com", bounced.Out, StringComparison.Ordinal);

        var wrong = await Blog("subscribers", "list", "--status", "paused");
        Assert.Equal(1, wrong.Exit);
        Assert.Contains("blog: --status: unknown status; the statuses are pending, active, unsubscribed, bounced, complained (value: \"paused\")", wrong.Err,
            StringComparison.Ordinal);
    }

    [Fact]
    public async Task List_lines_carry_the_bounce_count_and_last_event_when_there_is_one()
    {
        await Blog("subscribers", "add", "ann@example.com", "--confirmed");
        await Blog("subscribers", "add", "bob@example.com", "--confirmed");
        var at = new DateTimeOffset(2026, 3, 2, 8, 0, 0, TimeSpan.Zero);
        await ReportAsync("ann@example.com", FeedbackKind.SoftBounce, "dsn-1", "452 4.2.2 mailbox full", at);
        await ReportAsync("ann@example.com", FeedbackKind.HardBounce, "dsn-2", "550 5.1.1 user unknown", at.AddDays(1));

        var list = (await Blog("subscribers", "list")).Out.Split('\n');
        Assert.EndsWith("(all)  1 bounce, last hard-bounce 2026-03-03", Assert.Single(list, l => l.StartsWith("ann@", StringComparison.Ordinal)).TrimEnd());
        Assert.EndsWith("(all)", Assert.Single(list, l => l.StartsWith("bob@", StringComparison.Ordinal)).TrimEnd());
    }

    [Fact]
    public async Task Export_carries_each_subscribers_bounces_and_last_event_and_imports_back()
    {
        await Blog("subscribers", "add", "ann@example.com", "--confirmed");
        await Blog("subscribers", "add", "bob@example.com", "--confirmed");
        var at = new DateTimeOffset(2026, 3, 2, 8, 0, 0, TimeSpan.Zero);
        await ReportAsync("ann@example.com", FeedbackKind.SoftBounce, "dsn-1", "452 4.2.2 mailbox full", at);
        await ReportAsync("ann@example.com", FeedbackKind.HardBounce, "dsn-2", "550 5.1.1 user unknown", at.AddDays(1));
        var (exit, stdout, _) = await Blog("subscribers", "export", "-");
        Assert.Equal(0, exit);
        Assert.Contains("\r\nann@example.com,active,weekly,,", stdout, StringComparison.Ordinal);
        Assert.Contains(",1,hard-bounce,2026-03-03T08:00:00Z,550 5.1.1 user unknown\r\n", stdout, StringComparison.Ordinal);
        Assert.Matches(@"\r\nbob@example.com,active,weekly,,[^,]+,[^,]+,0,,,(\r\n|$)", stdout);

        var file = folder.Write("export.csv", stdout);
        Directory.Delete(Data, recursive: true);
        var import = await Blog("subscribers", "import", file, "--confirmed");
        Assert.Equal(0, import.Exit);
        Assert.Contains("2 subscribers: 2 active", (await Blog("subscribers", "list")).Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Remove_unsubscribes_and_forget_erases_the_record_and_its_queued_mail()
    {
        await Blog("subscribers", "add", "ann@example.com");
        await Blog("subscribers", "add", "bob@example.com", "--confirmed");
        var removed = await Blog("subscribers", "remove", "bob@example.com");
        Assert.Equal(0, removed.Exit);
        Assert.Contains("unsubscribed bob@example.com (unsubscribed, weekly, every post)", removed.Out, StringComparison.Ordinal);

        var forgotten = await Blog("subscribers", "forget", "ann@example.com");
        Assert.Equal(0, forgotten.Exit);
        Assert.Contains("erased ann@example.com and its mail history", forgotten.Out, StringComparison.Ordinal);
        var list = (await Blog("subscribers", "list")).Out;
        Assert.DoesNotContain("ann@example.com", list, StringComparison.Ordinal);
        Assert.Contains("1 subscriber: 0 active, 0 pending, 1 unsubscribed, 0 bounced, 0 complained", list, StringComparison.Ordinal);

        var unknown = await Blog("subscribers", "forget", "ann@example.com");
        Assert.Equal(1, unknown.Exit);
        Assert.Contains("blog: ann@example.com is not on the list", unknown.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Import_is_all_or_nothing_and_names_every_bad_line()
    {
        var csv = folder.Write("list.csv", "email,tags,cadence\nann@example.com,evals,daily\nnot-an-address,,\nbob@example.com,cooking,\ncarol@example.com,,hourly\n");
        var (exit, stdout, stderr) = await Blog("subscribers", "import", csv);
        Assert.Equal(1, exit);
        Assert.Equal("", stdout);
        Assert.Contains($"{csv}: line 3: email: an address needs a name", stderr, StringComparison.Ordinal);
        Assert.Contains($"{csv}: line 4: tags: unknown tag \"cooking\"", stderr, StringComparison.Ordinal);
        Assert.Contains($"{csv}: line 5: cadence: unknown cadence \"hourly\"", stderr, StringComparison.Ordinal);
        Assert.Contains("blog: nothing imported: 3 rows with problems", stderr, StringComparison.Ordinal);
        Assert.Contains("0 subscribers", (await Blog("subscribers", "list")).Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Import_dedupes_skips_known_addresses_and_mails_each_new_pending_one()
    {
        await Blog("subscribers", "add", "known@example.com", "--confirmed");
        var csv = folder.Write("list.csv", "ann@example.com,evals,daily\r\nbob@example.com\r\nANN@example.com\r\nann@EXAMPLE.com\r\nknown@example.com\r\n");
        var (exit, stdout, stderr) = await Blog("subscribers", "import", csv);
        Assert.Equal(0, exit);
        // Case never makes two people: ANN@ and ann@EXAMPLE.com are ann@, and KNOWN@ is known@.
        Assert.Contains($"{csv}: line 3: email: ANN@example.com is already on line 1; skipped", stderr, StringComparison.Ordinal);
        Assert.Contains($"{csv}: line 4: email: ann@example.com is already on line 1; skipped", stderr, StringComparison.Ordinal);
        Assert.Contains($"imported 2 addresses from {csv}; 1 already on the list, left as they were; 2 confirmation mails queued", stdout, StringComparison.Ordinal);
        Assert.Contains("sent 2 mails", stdout, StringComparison.Ordinal);
        Assert.Single(Mail.To("ann@example.com"));
        Assert.Empty(Mail.To("ANN@example.com"));
        Assert.Single(Mail.To("bob@example.com"));
        Assert.Equal(0, (await Blog("subscribers", "remove", "KNOWN@example.com")).Exit);
        Assert.Equal(0, (await Blog("subscribers", "forget", "BOB@example.com")).Exit);
        Assert.Empty(Mail.To("known@example.com"));
    }

    [Fact]
    public async Task Export_writes_a_csv_that_import_reads_back_into_an_empty_list()
    {
        await Blog("subscribers", "add", "ann@example.com", "--confirmed", "--tags", "evals", "--cadence", "daily");
        await Blog("subscribers", "add", "bob@example.com", "--confirmed");
        await Blog("subscribers", "remove", "bob@example.com");
        var file = folder.Combine("export.csv");
        var export = await Blog("subscribers", "export", file);
        Assert.Equal(0, export.Exit);
        Assert.Contains($"exported 2 subscribers to {file}", export.Out, StringComparison.Ordinal);
        var lines = File.ReadAllLines(file);
        Assert.Equal("email,status,cadence,tags,created,confirmed,bounces,last_event,last_event_at,last_diagnostic", lines[0]);
        Assert.StartsWith("ann@example.com,active,daily,evals,", lines[1], StringComparison.Ordinal);
        Assert.StartsWith("bob@example.com,unsubscribed,weekly,,", lines[2], StringComparison.Ordinal);

        Directory.Delete(Data, recursive: true);
        var import = await Blog("subscribers", "import", file, "--confirmed");
        Assert.Equal(0, import.Exit);
        var list = (await Blog("subscribers", "list")).Out;
        Assert.Contains("ann@example.com                          active       daily", list, StringComparison.Ordinal);
        // Someone who left stays left, even when the import says consent is on record.
        Assert.Contains("bob@example.com                          unsubscribed weekly", list, StringComparison.Ordinal);
        Assert.Empty(Mail.All());
    }

    [Fact]
    public async Task Export_to_standard_output_and_missing_files_are_handled()
    {
        await Blog("subscribers", "add", "ann@example.com", "--confirmed");
        var (exit, stdout, _) = await Blog("subscribers", "export", "-");
        Assert.Equal(0, exit);
        Assert.StartsWith("email,status,cadence,tags,created,confirmed,bounces,last_event,last_event_at,last_diagnostic\r\nann@example.com,active,weekly,,", stdout, StringComparison.Ordinal);

        var missing = await Blog("subscribers", "import", folder.Combine("nope.csv"));
        Assert.Equal(1, missing.Exit);
        Assert.Contains($"blog: cannot read {folder.Combine("nope.csv")}", missing.Err, StringComparison.Ordinal);
        var latin1 = folder.WriteBytes("latin1.csv", [.. "caf"u8, 0xE9, .. "@example.com\n"u8]);
        var notUtf8 = await Blog("subscribers", "import", latin1);
        Assert.Contains("it is not UTF-8 text", notUtf8.Err, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new[] { "subscribers" }, "Usage:\n  blog subscribers [command] [options]")]
    [InlineData(new[] { "subscribers", "--help" }, "  import <FILE>   add the addresses in a CSV file, all or none")]
    [InlineData(new[] { "subscribers", "import", "--help" }, "Usage:\n  blog subscribers import <FILE> [options]")]
    [InlineData(new[] { "subscribers", "import", "--help" }, "consent is already on record: active at once, no confirmation mail")]
    [InlineData(new[] { "subscribers", "--help" }, "  forget <EMAIL>  erase one address and its mail history (GDPR)")]
    public async Task Every_command_has_help(string[] args, string text)
    {
        var stdout = new StringWriter();
        Assert.Equal(0, await BlogCli.RunAsync(args, stdout, TextWriter.Null));
        Assert.Contains(text, stdout.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new[] { "subscribers", "add" }, "Required argument 'EMAIL' missing for command: 'add'.")]
    [InlineData(new[] { "subscribers", "drop", "a@b.c" }, "Unrecognized command or argument 'drop'.")]
    [InlineData(new[] { "subscribers", "list", "extra" }, "Unrecognized command or argument 'extra'.")]
    [InlineData(new[] { "subscribers", "add", "a@b.com", "--strict" }, "Unrecognized command or argument '--strict'.\n\nSee 'blog subscribers add --help'.")]
    public async Task Usage_mistakes_exit_2_with_what_to_do(string[] args, string message)
    {
        var stderr = new StringWriter();
        Assert.Equal(2, await BlogCli.RunAsync(args, TextWriter.Null, stderr));
        Assert.Contains(message, stderr.ToString(), StringComparison.Ordinal);
    }

    public void Dispose() => folder.Dispose();
}

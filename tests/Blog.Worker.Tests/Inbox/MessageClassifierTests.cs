using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;
using Blog.Feedback;
using Blog.Inbox;
using Blog.Mail;
using Blog.Storage;
using Blog.Subscriptions;
using Microsoft.Extensions.Options;
using MimeKit;

namespace Blog.Tests.Inbox;

/// <summary>
/// The classifier on fixture mails modelled on each system's documented format. The fixtures hold placeholders for
/// signed addresses (<c>{{VERP:d:42:run}}</c>, <c>{{VERP:m:42:7}}</c>, <c>{{UNSUB:42}}</c>), filled in here from a
/// <see cref="ReturnAddress"/> with a test key, so their tokens are genuine, or deliberately altered.
/// </summary>
public sealed partial class MessageClassifierTests
{
    private const string RunKey = "2026-03-01";
    private const string DigestMessageId = "digest.2026-03-01.42@blog.example.com";

    private static readonly MailOptions Mail = new()
    {
        From = "Blog <newsletter@blog.example.com>",
        UnsubscribeMailbox = "unsubscribe@blog.example.com",
        ReturnPath = "bounces@blog.example.com",
        TrustedAuthServId = "mx.blog.example.com",
    };

    private static readonly SigningKey Key = new(
        Options.Create(new SubscriptionOptions { SigningKey = Convert.ToBase64String(Enumerable.Range(1, 32).Select(i => (byte)i).ToArray()) }),
        Options.Create(new StorageOptions { DataPath = "unused" }));

    private readonly ReturnAddress returns = new(Key, Options.Create(Mail));

    private InboxVerdict Classify(MimeMessage message) => new MessageClassifier(returns, Mint(Options.Create(Mail)), Options.Create(Mail)).Classify(message);

    private static MessageIdMint Mint(IOptions<MailOptions> options) => new(Key, options);

    /// <summary>As configured without <c>Mail:ReturnPath</c>: the issue's fallback to the Message-ID, then the address.</summary>
    private static InboxVerdict ClassifyWithoutVerp(MimeMessage message)
    {
        var options = Options.Create(new MailOptions { From = Mail.From, UnsubscribeMailbox = Mail.UnsubscribeMailbox, TrustedAuthServId = Mail.TrustedAuthServId });
        return new MessageClassifier(new ReturnAddress(Key, options), Mint(options), options).Classify(message);
    }

    /// <summary>What a verified digest return path names, and nothing an attacker could have written beside it.</summary>
    private static FeedbackTarget DigestTarget => new(42) { RunRef = ReturnAddress.RunRef(RunKey) };

    private InboxVerdict Classify(string fixture, bool forged = false) => Classify(Parse(Fill(fixture, forged)));

    private static InboxFinding Single(InboxVerdict verdict)
    {
        Assert.True(verdict.Kind == InboxVerdictKind.Feedback, verdict.Reason);
        return Assert.Single(verdict.Findings);
    }

    [Fact]
    public void A_Postfix_report_is_a_hard_bounce_of_the_subscriber_and_run_its_return_path_names()
    {
        var verdict = Classify("postfix-dsn.eml");

        var finding = Single(verdict);
        Assert.Equal(FeedbackKind.HardBounce, finding.Kind);
        Assert.Equal(DigestTarget, finding.Target);
        Assert.StartsWith("5.1.1 550 5.1.1 <reader@example.net>: Recipient address rejected: User unknown in virtual mailbox table", finding.Diagnostic, StringComparison.Ordinal);
        Assert.Contains("5.1.1", verdict.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void An_Exchange_report_names_the_confirmation_by_its_return_path()
    {
        var finding = Single(Classify("exchange-dsn.eml"));

        Assert.Equal(FeedbackKind.HardBounce, finding.Kind);
        Assert.Equal(new FeedbackTarget(42), finding.Target);
        Assert.Contains("5.1.10 RESOLVER.ADR.RecipientNotFound", finding.Diagnostic, StringComparison.Ordinal);
    }

    [Fact]
    public void Without_VERP_a_Gmail_report_is_tied_by_the_Message_ID_then_the_recipient()
    {
        var verdict = ClassifyWithoutVerp(Parse(Fill("gmail-dsn.eml")));

        var finding = Single(verdict);
        Assert.Equal(FeedbackKind.HardBounce, finding.Kind);
        Assert.Null(finding.Target.SubscriberId);
        Assert.Equal("digest.2026-03-01.43@blog.example.com", finding.Target.MessageId);
        Assert.Equal("gone.reader@gmail.example", finding.Target.Address);
        Assert.Contains("The email account that you tried to reach does not exist.", finding.Diagnostic, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', finding.Diagnostic);
        Assert.Contains("Message-ID", verdict.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Without_VERP_a_report_with_an_altered_return_path_falls_back_to_the_Message_ID()
    {
        var finding = Single(ClassifyWithoutVerp(Parse(Fill("postfix-dsn.eml", forged: true))));

        Assert.Null(finding.Target.SubscriberId);
        Assert.Null(finding.Target.RunRef);
        Assert.Equal(DigestMessageId, finding.Target.MessageId);
        Assert.Equal("reader@example.net", finding.Target.Address);
    }

    [Fact]
    public void A_soft_failure_in_a_report_is_a_soft_bounce()
    {
        var finding = Single(Classify("soft-dsn.eml"));

        Assert.Equal(FeedbackKind.SoftBounce, finding.Kind);
        Assert.Equal(42, finding.Target.SubscriberId);
        Assert.StartsWith("4.2.2", finding.Diagnostic, StringComparison.Ordinal);
    }

    [Fact]
    public void A_delayed_report_is_ignored_not_counted()
    {
        var verdict = Classify("delayed-dsn.eml");

        Assert.Equal(InboxVerdictKind.Ignored, verdict.Kind);
        Assert.Empty(verdict.Findings);
        Assert.Contains("delayed", verdict.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Without_VERP_a_report_with_two_failed_recipients_bounces_only_the_first_by_address()
    {
        // Anyone can write a report naming a hundred addresses: matched by address alone, it counts once.
        var finding = Single(ClassifyWithoutVerp(Parse(Fill("two-failed-dsn.eml"))));

        Assert.Equal(FeedbackKind.HardBounce, finding.Kind);
        Assert.Equal(new FeedbackTarget(Address: "first@example.net"), finding.Target);
    }

    [Fact]
    public void With_VERP_a_report_without_a_signed_return_path_is_unhandled()
    {
        var verdict = Classify("two-failed-dsn.eml");

        Assert.Equal(InboxVerdictKind.Unhandled, verdict.Kind);
        Assert.Contains("no signed return path", verdict.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_report_whose_return_path_names_one_delivery_counts_once_as_its_worst_recipient()
    {
        var text = Fill("two-failed-dsn.eml").Replace("Delivered-To: newsletter@blog.example.com", $"Delivered-To: {returns.ForDigest(42, RunKey)!.Address}", StringComparison.Ordinal);

        var finding = Single(Classify(Parse(text)));

        Assert.Equal(FeedbackKind.HardBounce, finding.Kind);
        Assert.Equal(DigestTarget, finding.Target);
    }

    [Fact]
    public void A_status_part_outside_a_multipart_report_is_still_read()
    {
        // Some MTAs wrap their report in multipart/mixed, or leave out report-type: the status part says what it is.
        var text = Fill("postfix-dsn.eml").Replace("multipart/report; report-type=delivery-status;", "multipart/mixed;", StringComparison.Ordinal);

        var finding = Single(Classify(Parse(text)));

        Assert.Equal(FeedbackKind.HardBounce, finding.Kind);
        Assert.Equal(DigestTarget, finding.Target);
    }

    [Fact]
    public void A_feedback_part_outside_a_multipart_report_is_still_read()
    {
        var text = Fill("arf-report.eml").Replace("multipart/report; report-type=feedback-report;", "multipart/mixed;", StringComparison.Ordinal);

        var finding = Single(Classify(Parse(text)));

        Assert.Equal(FeedbackKind.Complaint, finding.Kind);
        Assert.Equal(42, finding.Target.SubscriberId);
    }

    [Fact]
    public void An_internationalised_report_is_read_as_a_delivery_report()
    {
        // RFC 6533: message/global-delivery-status, with utf-8 address types.
        var text = Fill("postfix-dsn.eml", forged: true)
            .Replace("report-type=delivery-status", "report-type=global-delivery-status", StringComparison.Ordinal)
            .Replace("Content-Type: message/delivery-status", "Content-Type: message/global-delivery-status", StringComparison.Ordinal)
            .Replace("Original-Recipient: rfc822;reader@example.net", "Original-Recipient: utf-8; réader@exämple.net", StringComparison.Ordinal);

        var finding = Single(ClassifyWithoutVerp(Parse(text)));

        Assert.Equal(FeedbackKind.HardBounce, finding.Kind);
        Assert.Equal("réader@exämple.net", finding.Target.Address);
    }

    [Fact]
    public void A_malformed_report_is_unhandled()
    {
        var verdict = Classify("malformed-report.eml");

        Assert.Equal(InboxVerdictKind.Unhandled, verdict.Kind);
        Assert.StartsWith("malformed:", verdict.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("garbage without a blank line or a colon \u0001\u0002")]
    [InlineData("Reporting-MTA: dns; x\n\n")]
    [InlineData("Reporting-MTA: dns; x\n\nFinal-Recipient: rfc822; a@example.net\nStatus: 5.1.1\n")]
    public void A_report_whose_status_part_is_garbage_is_unhandled(string status)
    {
        var verdict = Classify(Parse(Report("delivery-status", "message/delivery-status", status)));

        Assert.Equal(InboxVerdictKind.Unhandled, verdict.Kind);
        Assert.StartsWith("malformed:", verdict.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_qmail_bounce_is_hard_by_its_return_path()
    {
        var verdict = Classify("qmail-bounce.eml");

        var finding = Single(verdict);
        Assert.Equal(FeedbackKind.HardBounce, finding.Kind);
        Assert.Equal(42, finding.Target.SubscriberId);
        Assert.Equal(ReturnAddress.RunRef(RunKey), finding.Target.RunRef);
        Assert.Equal("Sorry, no mailbox here by that name. (#5.1.1)", finding.Diagnostic);
    }

    [Fact]
    public void An_old_Exim_bounce_without_a_clear_permanent_failure_is_soft_whatever_the_returned_copy_says()
    {
        // Exim marks its bounces Auto-Submitted, and the copy of our mail says "No such user" and "550": neither counts.
        var finding = Single(Classify("exim-legacy-soft-bounce.eml"));

        Assert.Equal(FeedbackKind.SoftBounce, finding.Kind);
        Assert.Equal(42, finding.Target.SubscriberId);
    }

    [Fact]
    public void A_plain_text_bounce_without_a_genuine_return_path_is_not_acted_on()
    {
        var verdict = Classify("qmail-bounce.eml", forged: true);

        Assert.Equal(InboxVerdictKind.Unhandled, verdict.Kind);
        Assert.Empty(verdict.Findings);
    }

    [Fact]
    public void A_plain_text_bounce_is_tied_by_the_return_path_quoted_in_its_copy_when_the_envelope_lost_it()
    {
        var genuine = returns.ForDigest(42, RunKey)!.Address;
        var text = Fill("qmail-bounce.eml")
            .Replace($"Delivered-To: {genuine}", "Delivered-To: bounces@blog.example.com", StringComparison.Ordinal)
            .Replace($"To: {genuine}", "To: bounces@blog.example.com", StringComparison.Ordinal);

        var finding = Single(Classify(Parse(text)));

        Assert.Equal(42, finding.Target.SubscriberId);
    }

    [Fact]
    public void An_ARF_report_is_a_complaint_by_its_return_path()
    {
        var verdict = Classify("arf-report.eml");

        var finding = Single(verdict);
        Assert.Equal(FeedbackKind.Complaint, finding.Kind);
        Assert.Equal(DigestTarget, finding.Target);
        Assert.Equal("abuse (SomeGenerator/1.0)", finding.Diagnostic);
    }

    [Fact]
    public void Without_VERP_an_ARF_report_with_altered_tokens_falls_back_to_the_Message_ID_alone()
    {
        var finding = Single(ClassifyWithoutVerp(Parse(Fill("arf-report.eml", forged: true))));

        Assert.Equal(FeedbackKind.Complaint, finding.Kind);
        Assert.Equal(new FeedbackTarget(MessageId: DigestMessageId), finding.Target);
    }

    [Fact]
    public void Without_VERP_an_ARF_report_matched_only_by_address_is_unhandled()
    {
        // A permanent complaint on an address anyone can write into a report is never made.
        var text = Fill("arf-report.eml", forged: true).Replace("Message-ID: <digest.2026-03-01.42@blog.example.com>\n", "", StringComparison.Ordinal);

        var verdict = ClassifyWithoutVerp(Parse(text));

        Assert.Equal(InboxVerdictKind.Unhandled, verdict.Kind);
        Assert.Empty(verdict.Findings);
    }

    [Theory]
    [InlineData("not-spam", InboxVerdictKind.Ignored)]
    [InlineData("auth-failure", InboxVerdictKind.Unhandled)]
    [InlineData("fraud", InboxVerdictKind.Feedback)]
    public void An_ARF_report_is_a_complaint_only_for_the_types_that_are_one(string type, InboxVerdictKind kind)
    {
        var verdict = Classify(Parse(Fill("arf-report.eml").Replace("Feedback-Type: abuse", $"Feedback-Type: {type}", StringComparison.Ordinal)));

        Assert.Equal(kind, verdict.Kind);
    }

    [Fact]
    public void A_vacation_reply_is_ignored()
    {
        var verdict = Classify("vacation-auto-reply.eml");

        Assert.Equal(InboxVerdictKind.Ignored, verdict.Kind);
        Assert.Contains("RFC 3834", verdict.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void An_auto_reply_with_a_bounce_like_subject_is_ignored_not_a_bounce()
    {
        var verdict = Classify("auto-reply-bounce-subject.eml");

        Assert.Equal(InboxVerdictKind.Ignored, verdict.Kind);
        Assert.Empty(verdict.Findings);
    }

    [Theory]
    [InlineData("Automatic reply: New on the blog", InboxVerdictKind.Ignored)]
    [InlineData("Re: New on the blog", InboxVerdictKind.Unhandled)]
    public void Exchanges_out_of_office_is_told_by_its_suppress_header_beside_its_subject(string subject, InboxVerdictKind kind)
    {
        var message = Plain("Reader <reader@example.net>", "bounces@blog.example.com", subject, "Away.");
        message.Headers.Add("X-Auto-Response-Suppress", "All");

        Assert.Equal(kind, Classify(message).Kind);
    }

    [Fact]
    public void A_subject_alone_does_not_make_an_auto_reply()
    {
        var verdict = Classify(Plain("Reader <reader@example.net>", "bounces@blog.example.com", "Out of Office: thoughts on your post", "I liked it."));

        Assert.Equal(InboxVerdictKind.Unhandled, verdict.Kind);
    }

    [Fact]
    public void Mail_to_the_unsubscribe_address_unsubscribes_the_subscriber_its_token_names()
    {
        var finding = Single(Classify("mailto-unsubscribe-token.eml"));

        Assert.Equal(FeedbackKind.Unsubscribe, finding.Kind);
        Assert.Equal(new FeedbackTarget(42), finding.Target);
    }

    [Fact]
    public void Mail_to_an_unsubscribe_address_with_an_altered_token_unsubscribes_nobody()
    {
        var verdict = Classify("mailto-unsubscribe-token.eml", forged: true);

        Assert.Equal(InboxVerdictKind.Unhandled, verdict.Kind);
        Assert.Empty(verdict.Findings);
    }

    [Fact]
    public void Mail_to_the_plain_unsubscribe_mailbox_titled_unsubscribe_unsubscribes_its_sender()
    {
        var finding = Single(Classify("mailto-unsubscribe-subject.eml"));

        Assert.Equal(FeedbackKind.Unsubscribe, finding.Kind);
        Assert.Equal(new FeedbackTarget(Address: "another.reader@example.net"), finding.Target);
    }

    [Theory]
    [InlineData("unsubscribe@blog.example.com", "Please unsubscribe me")]
    [InlineData("someone.else@blog.example.com", "unsubscribe")]
    public void Mail_to_another_mailbox_or_with_another_subject_unsubscribes_nobody(string to, string subject)
    {
        var verdict = Classify(Plain("Reader <reader@example.net>", to, subject, "Hello."));

        Assert.Equal(InboxVerdictKind.Unhandled, verdict.Kind);
    }

    [Fact]
    public void Without_an_unsubscribe_mailbox_the_From_address_takes_requests()
    {
        var options = new MailOptions { From = Mail.From, ReturnPath = Mail.ReturnPath, TrustedAuthServId = Mail.TrustedAuthServId };
        var classifier = new MessageClassifier(returns, Mint(Options.Create(options)), Options.Create(options));

        var message = Plain("Reader <reader@example.net>", "newsletter@blog.example.com", " UNSUBSCRIBE ", "");
        message.Headers.Insert(0, "Authentication-Results", "mx.blog.example.com; dmarc=pass header.from=example.net");

        var verdict = classifier.Classify(message);

        Assert.Equal(new FeedbackTarget(Address: "reader@example.net"), Single(verdict).Target);
    }

    [Fact]
    public void Ordinary_mail_is_unhandled()
    {
        var verdict = Classify(Plain("Reader <reader@example.net>", "bounces@blog.example.com", "Loved the last post", "Thanks!"));

        Assert.Equal(InboxVerdictKind.Unhandled, verdict.Kind);
        Assert.False(string.IsNullOrWhiteSpace(verdict.Reason));
    }

    [Fact]
    public void Many_MIME_parts_are_refused_without_walking_them_all()
    {
        var mixed = new Multipart("mixed");
        for (var i = 0; i < 20_000; i++) mixed.Add(new TextPart("plain") { Text = "x" });
        var message = Plain("MAILER-DAEMON@relay.example.org", "bounces@blog.example.com", "failure notice", "");
        message.Body = mixed;

        var verdict = Classify(message);

        Assert.Equal(InboxVerdictKind.Unhandled, verdict.Kind);
        Assert.Equal($"malformed: more than {ReportParts.MaxParts} MIME parts", verdict.Reason);
    }

    [Fact]
    public void Deeply_nested_MIME_is_refused()
    {
        MimeEntity body = new TextPart("plain") { Text = "x" };
        for (var i = 0; i < 1000; i++) body = new Multipart("mixed") { body };
        var message = Plain("MAILER-DAEMON@relay.example.org", "bounces@blog.example.com", "failure notice", "");
        message.Body = body;

        var verdict = Classify(message);

        Assert.Equal(InboxVerdictKind.Unhandled, verdict.Kind);
        Assert.StartsWith("malformed: MIME parts nested deeper than", verdict.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_report_naming_many_recipients_bounces_one_of_them()
    {
        var groups = string.Concat(Enumerable.Range(0, 1000).Select(i => $"Final-Recipient: rfc822; r{i}@example.net\nAction: failed\nStatus: 5.1.1\n\n"));

        var finding = Single(ClassifyWithoutVerp(Parse(Report("delivery-status", "message/delivery-status", "Reporting-MTA: dns; x\n\n" + groups))));

        Assert.Equal(new FeedbackTarget(Address: "r0@example.net"), finding.Target);
    }

    [Fact]
    public void A_diagnostic_is_one_short_line_without_control_characters()
    {
        var hostile = "smtp; 550 5.1.1 " + string.Concat(Enumerable.Repeat("gone\u001b[31m\u0007 ", 300));
        var status = $"Reporting-MTA: dns; x\n\nFinal-Recipient: rfc822; a@example.net\nAction: failed\nStatus: 5.1.1\nDiagnostic-Code: {hostile}\n";

        var finding = Single(ClassifyWithoutVerp(Parse(Report("delivery-status", "message/delivery-status", status))));

        Assert.True(finding.Diagnostic.Length <= ReportText.MaxDiagnostic, $"{finding.Diagnostic.Length} characters");
        Assert.DoesNotContain(finding.Diagnostic, char.IsControl);
        Assert.StartsWith("5.1.1 550 5.1.1 gone [31m gone [31m", finding.Diagnostic, StringComparison.Ordinal);
    }

    [Fact]
    public void A_huge_plain_text_bounce_is_scanned_only_so_far()
    {
        // The permanent failure is written after the bound: it is not read, so the guess stays soft.
        var body = new string('x', 2 * ReportText.MaxScan) + "\nuser unknown 550 5.1.1\n";
        var message = Plain("MAILER-DAEMON@relay.example.org", returns.ForDigest(42, RunKey)!.Address, "failure notice", body);

        var stopwatch = Stopwatch.StartNew();
        var finding = Single(Classify(message));

        Assert.Equal(FeedbackKind.SoftBounce, finding.Kind);
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(2), stopwatch.Elapsed.ToString());
    }

    [Fact]
    public void No_prefix_of_any_fixture_makes_the_classifier_throw()
    {
        foreach (var fixture in Directory.EnumerateFiles(FixtureFolder, "*.eml"))
        {
            var text = Fill(Path.GetFileName(fixture));
            for (var length = 1; length < text.Length; length += 53)
            {
                MimeMessage message;
                try
                {
                    message = Parse(text[..length]);
                }
                catch (FormatException)
                {
                    continue; // not even headers: the mailbox reader never gets as far as classifying it
                }
                Assert.NotNull(Classify(message).Reason);
            }
        }
    }

    private static string FixtureFolder => Path.Combine(AppContext.BaseDirectory, "Inbox", "Fixtures");

    private static MimeMessage Parse(string text) => MimeMessage.Load(new MemoryStream(Encoding.UTF8.GetBytes(text)));

    /// <summary>The fixture's text with its placeholders filled: genuine tokens, or each one altered in its last character.</summary>
    private string Fill(string fixture, bool forged = false) => Placeholder().Replace(File.ReadAllText(Path.Combine(FixtureFolder, fixture)), match =>
    {
        var fields = match.Groups[2].Value.Split(':');
        var address = match.Groups[1].Value == "UNSUB"
            ? returns.UnsubscribeFor(long.Parse(fields[0], System.Globalization.CultureInfo.InvariantCulture))
            : fields[0] == "d"
                ? returns.ForDigest(long.Parse(fields[1], System.Globalization.CultureInfo.InvariantCulture), fields[2])!.Address
                : returns.ForMail(long.Parse(fields[1], System.Globalization.CultureInfo.InvariantCulture), long.Parse(fields[2], System.Globalization.CultureInfo.InvariantCulture))!.Address;
        Assert.NotNull(returns.Read(address));
        if (!forged) return address;
        var at = address.LastIndexOf('@');
        var altered = address[..(at - 1)] + (address[at - 1] == 'a' ? 'b' : 'a') + address[at..];
        Assert.Null(returns.Read(altered));
        return altered;
    });

    [GeneratedRegex(@"\{\{(VERP|UNSUB):([^}]*)\}\}")]
    private static partial Regex Placeholder();

    private static MimeMessage Plain(string from, string to, string subject, string body)
    {
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse(from));
        message.To.Add(MailboxAddress.Parse(to));
        message.Subject = subject;
        message.MessageId = "plain.1@example.net";
        message.Body = new TextPart("plain") { Text = body };
        return message;
    }

    /// <summary>A bare multipart/report with one machine-readable part, as text to parse.</summary>
    private static string Report(string reportType, string contentType, string content) => $"""
        From: MAILER-DAEMON@relay.example.org
        To: newsletter@blog.example.com
        Subject: Undelivered Mail Returned to Sender
        MIME-Version: 1.0
        Content-Type: multipart/report; report-type={reportType}; boundary="b"

        --b
        Content-Type: text/plain

        Report.

        --b
        Content-Type: {contentType}

        {content}
        --b--

        """;
}

using Blog.Feedback;
using Blog.Mail;
using Blog.MailingList;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using MimeKit;

namespace Blog.Tests.Mail;

public sealed class MailComposerTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    private static MailComposer Composer(string from = "Blog <news@blog.example.com>", string unsubscribeMailbox = "") =>
        new(Options.Create(new MailOptions { From = from, UnsubscribeMailbox = unsubscribeMailbox }), new FakeTimeProvider(Now));

    private static MailDraft Draft(string subject = "Hello") => new(EmailAddress.Parse("ann@example.com"), subject, "plain text",
        "<html><head><style>p { color: #123456; } .x { font-weight: bold }</style></head><body><p class=\"x\">html</p></body></html>",
        "confirm.1.2@blog.example.com", "confirm", new Uri("https://blog.example.com/unsubscribe?token=u.1.abc"));

    [Fact]
    public void A_mail_is_multipart_alternative_with_text_first_then_html()
    {
        var message = Composer().Compose(Draft());
        var body = Assert.IsType<MultipartAlternative>(message.Body);
        Assert.Equal(["text/plain", "text/html"], body.Select(p => p.ContentType.MimeType));
        Assert.Equal("plain text", message.TextBody!.Trim());
        Assert.Contains("<p class=\"x\">html</p>", message.HtmlBody, StringComparison.Ordinal);
    }

    [Fact]
    public void Headers_carry_date_message_id_sender_and_one_click_unsubscribe()
    {
        var message = Composer(unsubscribeMailbox: "leave@blog.example.com").Compose(Draft());
        Assert.Equal("news@blog.example.com", message.From.Mailboxes.Single().Address);
        Assert.Equal("Blog", message.From.Mailboxes.Single().Name);
        Assert.Equal("ann@example.com", message.To.Mailboxes.Single().Address);
        Assert.Equal(Now, message.Date);
        Assert.Equal("confirm.1.2@blog.example.com", message.MessageId);
        Assert.Equal("<https://blog.example.com/unsubscribe?token=u.1.abc>, <mailto:leave@blog.example.com?subject=unsubscribe>",
            message.Headers["List-Unsubscribe"]);
        Assert.Equal("List-Unsubscribe=One-Click", message.Headers["List-Unsubscribe-Post"]);
    }

    private static MailComposer Tokened(MailOptions options)
    {
        var returns = new ReturnAddress(new Blog.Subscriptions.SigningKey(Options.Create(new Blog.Subscriptions.SubscriptionOptions { SigningKey = Convert.ToBase64String(new byte[32]) }),
            Options.Create(new Blog.Storage.StorageOptions())), Options.Create(options));
        return new MailComposer(Options.Create(options), new FakeTimeProvider(Now), returns);
    }

    [Fact]
    public void Without_ReturnPath_or_UnsubscribeMailbox_the_mailto_is_From_as_before_with_no_token()
    {
        // The owner has not opted into reading replies: their server may have no subaddressing, and news+u…@ would bounce.
        var header = Tokened(new MailOptions { From = "Blog <news@blog.example.com>" }).Compose(Draft() with { SubscriberId = 42 }).Headers["List-Unsubscribe"]!;
        Assert.EndsWith("<mailto:news@blog.example.com?subject=unsubscribe>", header, StringComparison.Ordinal);
    }

    [Fact]
    public void With_ReturnPath_set_the_mailto_on_From_carries_the_token()
    {
        var header = Tokened(new MailOptions { From = "Blog <news@blog.example.com>", ReturnPath = "bounces@blog.example.com" })
            .Compose(Draft() with { SubscriberId = 42 }).Headers["List-Unsubscribe"]!;
        Assert.Contains("<mailto:news+u16-", header, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("", "leave@blog.example.com", "abcdefghijklmnopqrstuvwxyzabcdefghijklmno@blog.example.com", "Mail:UnsubscribeMailbox")]
    [InlineData("bounces@blog.example.com", "", "Blog <abcdefghijklmnopqrstuvwxyzabcdefghijklmno@blog.example.com>", "Mail:From")]
    public void When_the_mailto_carries_a_token_its_local_part_must_leave_room_for_it(string returnPath, string unsubscribeMailbox, string longOne, string key)
    {
        var options = new MailOptions { From = "Blog <news@blog.example.com>", ReturnPath = returnPath, UnsubscribeMailbox = unsubscribeMailbox };
        Assert.True(new MailOptionsValidator().Validate(null, options).Succeeded);
        if (key == "Mail:From") options.From = longOne; else options.UnsubscribeMailbox = longOne;
        var result = new MailOptionsValidator().Validate(null, options);
        Assert.Contains($"{key}'s local part must be at most 40 characters, to leave room for the unsubscribe token in 64, but \"abcdefghijklmnopqrstuvwxyzabcdefghijklmno\" is 41.",
            result.FailureMessage, StringComparison.Ordinal);
        // Without the token (neither set), From's local part is as long as the owner likes.
        Assert.True(new MailOptionsValidator().Validate(null, new MailOptions { From = longOne.Contains('<', StringComparison.Ordinal) ? longOne : $"<{longOne}>" }).Succeeded);
    }

    [Fact]
    public void To_a_subscriber_the_mailto_carries_a_token_that_names_them()
    {
        var options = Options.Create(new MailOptions { From = "Blog <news@blog.example.com>", UnsubscribeMailbox = "leave@blog.example.com" });
        var key = Convert.ToBase64String(new byte[32]);
        var returns = new ReturnAddress(new Blog.Subscriptions.SigningKey(Options.Create(new Blog.Subscriptions.SubscriptionOptions { SigningKey = key }),
            Options.Create(new Blog.Storage.StorageOptions())), options);
        var composer = new MailComposer(options, new FakeTimeProvider(Now), returns);

        var header = composer.Compose(Draft() with { SubscriberId = 42 }).Headers["List-Unsubscribe"]!;
        var mailto = System.Text.RegularExpressions.Regex.Match(header, @"^<https://blog\.example\.com/unsubscribe\?token=u\.1\.abc>, <mailto:([^?>]+)\?subject=unsubscribe>$");
        Assert.True(mailto.Success, header);
        Assert.StartsWith("leave+u", mailto.Groups[1].Value, StringComparison.Ordinal);
        Assert.Equal(new ReturnToken(ReturnAddress.Unsubscribe, 42, 0), returns.Read(mailto.Groups[1].Value));
        // Mail to no one in particular keeps the plain mailbox.
        Assert.EndsWith("<mailto:leave@blog.example.com?subject=unsubscribe>", composer.Compose(Draft()).Headers["List-Unsubscribe"], StringComparison.Ordinal);
    }

    [Fact]
    public void A_line_break_in_a_subject_cannot_start_a_new_header()
    {
        var queued = Composer().Queue(Draft("Hi\r\nBcc: victim@example.org"));
        var message = MimeMessage.Load(new MemoryStream(queued.Mime));
        Assert.Empty(message.Bcc);
        Assert.Null(message.Headers["Bcc"]);
        // What the break becomes is the composer's choice; that the subject stays one line with the words kept is not.
        var subject = message.Subject ?? "";
        Assert.DoesNotContain('\r', subject);
        Assert.DoesNotContain('\n', subject);
        Assert.StartsWith("Hi", subject, StringComparison.Ordinal);
        Assert.EndsWith("Bcc: victim@example.org", subject, StringComparison.Ordinal);
    }

    [Fact]
    public void A_queued_mail_is_the_finished_message_as_bytes()
    {
        var queued = Composer().Queue(Draft());
        Assert.Equal(("ann@example.com", "confirm.1.2@blog.example.com", "confirm"), (queued.Recipient, queued.MessageId, queued.Purpose));
        var message = MimeMessage.Load(new MemoryStream(queued.Mime));
        Assert.Equal("confirm.1.2@blog.example.com", message.MessageId);
        Assert.Equal("plain text", message.TextBody!.Trim());
    }

    [Fact]
    public void A_composed_message_is_not_kept_alive_by_the_composer()
    {
        // Regression: one shared sender address subscribed every message's From list to its change event, so the
        // composer kept every message it ever made (an import of 100,000 rows grew past 1.5 GB).
        var composer = Composer();
        var weak = Compose(composer);
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        Assert.False(weak.TryGetTarget(out _), "the composed message is still reachable");
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static WeakReference<MimeMessage> Compose(MailComposer composer) => new(composer.Compose(Draft()));
}

using Blog.Feedback;
using Blog.Mail;
using Blog.Storage;
using Blog.Subscriptions;
using Microsoft.Extensions.Options;

namespace Blog.Tests.Digests;

/// <summary>The envelope sender of each digest (VERP): <c>blog digest send</c> to an SMTP server on loopback that records MAIL FROM.</summary>
public sealed class DigestSenderReturnPathTests
{
    /// <summary>The codec as the service makes it: the blog's own signing key, from its data folder.</summary>
    internal static ReturnAddress Returns(string data, string returnPath) => new(
        new SigningKey(Options.Create(new SubscriptionOptions()), Options.Create(new StorageOptions { DataPath = data })),
        Options.Create(new MailOptions { ReturnPath = returnPath }));

    /// <summary>The Message-ID mint as the service makes it, with the blog's own signing key.</summary>
    private static MessageIdMint Ids(string data) => new(
        new SigningKey(Options.Create(new SubscriptionOptions()), Options.Create(new StorageOptions { DataPath = data })),
        Options.Create(new MailOptions { From = "newsletter@blog.example.com" }));

    [Fact]
    public async Task With_a_return_path_each_digest_goes_out_from_an_address_that_names_its_subscriber_and_run()
    {
        await using var blog = await DigestBlog.CreateAsync(3, "evals");
        var (exit, _, stderr) = await blog.RunAsync("digest", "send", "--cadence", "weekly", "--Mail:ReturnPath=bounces@mail.blog.example.com");
        Assert.True(exit == 0, stderr);
        Assert.Equal(3, blog.Smtp.Received.Count);
        var runKey = (string)(await blog.ScalarAsync("SELECT key FROM digest_runs"))!;
        var returns = Returns(blog.Data, "bounces@mail.blog.example.com");
        foreach (var message in blog.Smtp.Received)
        {
            var recipient = message.To.Mailboxes.Single().Address;
            var id = (long)(await blog.ScalarAsync($"SELECT id FROM subscribers WHERE address = '{recipient}'"))!;
            var sender = blog.Smtp.EnvelopeSender(message);
            Assert.Matches(@"^bounces\+d[0-9a-z-]+@mail\.blog\.example\.com$", sender);
            Assert.Equal(new ReturnToken(ReturnAddress.Digest, id, ReturnAddress.RunRef(runKey)), returns.Read(sender));
            // The header From is what DKIM signs and DMARC aligns on: unchanged.
            Assert.Equal("newsletter@blog.example.com", message.From.Mailboxes.Single().Address);
        }
        Assert.Equal(3, blog.Smtp.EnvelopeSenders.Values.Distinct().Count());
    }

    [Fact]
    public async Task Without_a_return_path_the_envelope_sender_is_the_from_address()
    {
        await using var blog = await DigestBlog.CreateAsync(2, "evals");
        var (exit, _, stderr) = await blog.RunAsync("digest", "send", "--cadence", "weekly");
        Assert.True(exit == 0, stderr);
        Assert.Equal(2, blog.Smtp.Received.Count);
        Assert.All(blog.Smtp.EnvelopeSenders.Values, s => Assert.Equal("newsletter@blog.example.com", s));
    }

    [Fact]
    public async Task Each_digests_List_Unsubscribe_mailto_names_its_subscriber_beside_the_one_click_url()
    {
        await using var blog = await DigestBlog.CreateAsync(2, "evals");
        var (exit, _, stderr) = await blog.RunAsync("digest", "send", "--cadence", "weekly", "--Mail:UnsubscribeMailbox=leave@blog.example.com");
        Assert.True(exit == 0, stderr);
        var returns = Returns(blog.Data, "");
        foreach (var message in blog.Smtp.Received)
        {
            var id = (long)(await blog.ScalarAsync($"SELECT id FROM subscribers WHERE address = '{message.To.Mailboxes.Single().Address}'"))!;
            var header = message.Headers["List-Unsubscribe"]!;
            var match = System.Text.RegularExpressions.Regex.Match(header, @"^<https://blog\.example\.com/unsubscribe\?token=[^>]+>, <mailto:(leave\+u[0-9a-z]+-[a-z2-7]+@blog\.example\.com)\?subject=unsubscribe>$");
            Assert.True(match.Success, header);
            Assert.Equal(new ReturnToken(ReturnAddress.Unsubscribe, id, 0), returns.Read(match.Groups[1].Value));
        }
    }

    [Fact]
    public async Task Without_a_return_path_a_digests_message_id_carries_a_keyed_tag_so_a_forged_report_cannot_guess_it()
    {
        await using var blog = await DigestBlog.CreateAsync(3, "evals");
        var (exit, _, stderr) = await blog.RunAsync("digest", "send", "--cadence", "weekly");
        Assert.True(exit == 0, stderr);
        Assert.Equal(3, blog.Smtp.Received.Count);
        var runKey = (string)(await blog.ScalarAsync("SELECT key FROM digest_runs"))!;
        var tags = new HashSet<string>(StringComparer.Ordinal);
        foreach (var message in blog.Smtp.Received)
        {
            var id = (long)(await blog.ScalarAsync($"SELECT id FROM subscribers WHERE address = '{message.To.Mailboxes.Single().Address}'"))!;
            var match = System.Text.RegularExpressions.Regex.Match(message.MessageId ?? "", $@"^digest\.weekly\.manual-[0-9A-Za-z.-]+Z\.{id}\.([a-z2-7]{{16}})@blog\.example\.com$");
            Assert.True(match.Success, message.MessageId);
            tags.Add(match.Groups[1].Value);
            // What a stranger can work out from the run's time and a subscriber id matches no mail we sent.
            var guess = $"digest.{string.Concat(runKey.Select(c => char.IsAsciiLetterOrDigit(c) || c == '-' ? c : '.'))}.{id}@blog.example.com";
            Assert.Equal(0L, await blog.ScalarAsync($"SELECT COUNT(*) FROM deliveries WHERE message_id = '{guess}'"));
            Assert.Equal(message.MessageId, await blog.ScalarAsync($"SELECT message_id FROM deliveries WHERE subscriber_id = {id}"));
            Assert.True(Ids(blog.Data).IsMinted(message.MessageId));
        }
        Assert.Equal(3, tags.Count);
    }

    [Fact]
    public async Task A_delivery_planned_before_the_tag_existed_is_sent_with_the_id_stored_with_it()
    {
        await using var blog = await DigestBlog.CreateAsync(2, "evals");
        var (exit, _, stderr) = await blog.RunAsync("digest", "send", "--cadence", "weekly");
        Assert.True(exit == 0, stderr);
        var id = (long)(await blog.ScalarAsync("SELECT MIN(subscriber_id) FROM deliveries"))!;
        // As an older version planned it, and stopped before sending.
        await blog.ScalarAsync($"UPDATE deliveries SET status = 'pending', message_id = 'digest.legacy.{id}@blog.example.com', attempts = 0, next_attempt_at = 0, " +
                               $"lease_until = NULL, settled_at = NULL WHERE subscriber_id = {id}");
        (exit, _, stderr) = await blog.RunAsync("digest", "send", "--cadence", "weekly");
        Assert.True(exit == 0, stderr);
        var resent = Assert.Single(blog.Smtp.Received, m => m.MessageId == $"digest.legacy.{id}@blog.example.com");
        Assert.Equal((string)(await blog.ScalarAsync($"SELECT address FROM subscribers WHERE id = {id}"))!, resent.To.Mailboxes.Single().Address);
        Assert.Equal("sent", await blog.ScalarAsync($"SELECT status FROM deliveries WHERE message_id = 'digest.legacy.{id}@blog.example.com'"));
    }
}

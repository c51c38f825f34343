using System.Text.RegularExpressions;
using Blog.Mail;
using Blog.Storage;
using Blog.Subscriptions;
using Microsoft.Extensions.Options;
using MimeKit;

namespace Blog.Tests.Mail;

public sealed class MessageIdMintTests : IDisposable
{
    private static readonly string Key = Convert.ToBase64String(Enumerable.Range(1, 32).Select(i => (byte)i).ToArray());
    private static readonly string OtherKey = Convert.ToBase64String(Enumerable.Range(101, 32).Select(i => (byte)i).ToArray());
    private readonly TempFolder folder = new();

    private MessageIdMint Mint(string key = "") => new(
        new SigningKey(Options.Create(new SubscriptionOptions { SigningKey = key.Length > 0 ? key : Key }), Options.Create(new StorageOptions { DataPath = folder.Path })),
        Options.Create(new MailOptions { From = "Blog <news@blog.example.com>" }));

    public void Dispose() => folder.Dispose();

    [Fact]
    public void Two_subscribers_ids_differ_in_the_tag_as_well_as_the_id()
    {
        var mint = Mint();
        var (one, two) = (mint.For("digest", "weekly/2026-03-02T08:00:00Z", "1"), mint.For("digest", "weekly/2026-03-02T08:00:00Z", "2"));
        Assert.Matches(@"^digest\.weekly\.2026-03-02T08\.00\.00Z\.1\.[a-z2-7]{16}@blog\.example\.com$", one);
        Assert.NotEqual(Tag(one), Tag(two));
        Assert.True(mint.IsMinted(one));
        Assert.True(mint.IsMinted($"<{two}>"));
    }

    [Fact]
    public void Changing_the_id_part_without_the_key_makes_no_valid_id()
    {
        var mint = Mint();
        var welcome = mint.For("welcome", "41");
        // Someone who has their own welcome and wants another subscriber's.
        var forged = welcome.Replace("welcome.41.", "welcome.42.", StringComparison.Ordinal);
        Assert.False(mint.IsMinted(forged));
        Assert.NotEqual(mint.For("welcome", "42"), forged);
        // Nor does another key make ours, nor one changed letter of the tag pass.
        var other = Mint(OtherKey).For("welcome", "42");
        Assert.NotEqual(mint.For("welcome", "42"), other);
        Assert.False(mint.IsMinted(other));
        var tag = Tag(welcome);
        Assert.False(mint.IsMinted(welcome.Replace(tag, (tag[0] == 'a' ? 'b' : 'a') + tag[1..], StringComparison.Ordinal)));
        Assert.False(mint.IsMinted("welcome.42@blog.example.com"));
    }

    [Fact]
    public void The_same_delivery_gives_the_same_id_twice_even_from_another_process()
    {
        var run = "weekly/manual-2026-03-02T08:00:13.123Z";
        Assert.Equal(Mint().For("digest", run, "7"), Mint().For("digest", run, "7"));
        Assert.Equal(Mint().For("confirm", "7", "1772438413123"), Mint().For("confirm", "7", "1772438413123"));
        Assert.NotEqual(Mint().For("confirm", "7", "1772438413123"), Mint().For("confirm", "7", "1772438413124"));
    }

    [Theory]
    [InlineData("weekly/2026-03-02T08:00:00Z")]
    [InlineData("::/--weird  run\u00e9\u4e2d..key/")]
    [InlineData("")]
    public void Ids_stay_rfc_5322_msg_ids_under_250_characters_for_long_and_odd_run_keys(string start)
    {
        var mint = Mint();
        foreach (var run in new[] { start, start + new string('x', 300) + "/a", start + new string('x', 300) + "/b", start + string.Concat(Enumerable.Repeat(":/", 500)) })
        {
            var id = mint.For("digest", run, long.MaxValue.ToString(System.Globalization.CultureInfo.InvariantCulture));
            Assert.True(id.Length < 250, id);
            // dot-atom-text "@" a domain: no quoting, no empty atom.
            Assert.Matches(@"^[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*@blog\.example\.com$", id);
            Assert.True(mint.IsMinted(id));
            // And MimeKit writes and reads it back unchanged.
            using var buffer = new MemoryStream();
            new MimeMessage { MessageId = id, Subject = "s" }.WriteTo(buffer);
            buffer.Position = 0;
            Assert.Equal(id, MimeMessage.Load(buffer).MessageId);
        }
        // Two long keys that differ only past the cut are still two ids.
        Assert.NotEqual(mint.For("digest", start + new string('x', 300) + "/a", "1"), mint.For("digest", start + new string('x', 300) + "/b", "1"));
    }

    [Fact]
    public void Anything_else_is_not_minted()
    {
        var mint = Mint();
        foreach (var text in new[] { null, "", "@", ".", "no-at-sign", "a.aaaaaaaaaaaaaaaa@", new string('a', 100_000) + "@x", "<>" })
            Assert.False(mint.IsMinted(text));
    }

    private static string Tag(string id) => Regex.Match(id, @"\.([a-z2-7]{16})@").Groups[1].Value;

    [Fact]
    public void A_minted_confirmation_or_welcome_id_names_its_subscriber_and_nothing_else_does()
    {
        // Their outbox rows are gone once sent, so a report quoting one is tied to its subscriber by the id itself.
        var mint = Mint();
        Assert.Equal(42, mint.SubscriberIn($"<{mint.For("welcome", "42", "1764486000000")}>"));
        Assert.Equal(7, mint.SubscriberIn(mint.For("confirm", "7", "1764486000000")));
        Assert.Null(mint.SubscriberIn(mint.For("digest", "weekly", "42")));
        Assert.Null(mint.SubscriberIn(Mint(OtherKey).For("welcome", "42", "1764486000000")));
        Assert.Null(mint.SubscriberIn("welcome.42.1764486000000.aaaaaaaaaaaaaaaa@blog.example.com"));
        Assert.Null(mint.SubscriberIn(null));
    }
}

using System.Diagnostics;
using Blog.Feedback;
using Blog.Mail;
using Blog.Storage;
using Blog.Subscriptions;
using Microsoft.Extensions.Options;

namespace Blog.Tests.Feedback;

public sealed class ReturnAddressTests : IDisposable
{
    private static readonly string Key = Convert.ToBase64String(Enumerable.Range(1, 32).Select(i => (byte)i).ToArray());
    private static readonly string OtherKey = Convert.ToBase64String(Enumerable.Range(101, 32).Select(i => (byte)i).ToArray());
    private readonly TempFolder folder = new();

    private ReturnAddress Returns(string key = "", string returnPath = "bounces@blog.example.com", string unsubscribeMailbox = "") => new(
        new SigningKey(Options.Create(new SubscriptionOptions { SigningKey = key.Length > 0 ? key : Key }), Options.Create(new StorageOptions { DataPath = folder.Path })),
        Options.Create(new MailOptions { From = "Blog <news@blog.example.com>", ReturnPath = returnPath, UnsubscribeMailbox = unsubscribeMailbox }));

    public void Dispose() => folder.Dispose();

    [Fact]
    public void Each_kind_of_address_reads_back_as_what_it_names()
    {
        var returns = Returns();
        var digest = returns.ForDigest(42, "weekly/2026-03-01T12.00.00.000Z")!.Address;
        Assert.Matches(@"^bounces\+d16-[0-9a-z]+-[a-z2-7]{13}@blog\.example\.com$", digest);
        Assert.Equal(new ReturnToken(ReturnAddress.Digest, 42, ReturnAddress.RunRef("weekly/2026-03-01T12.00.00.000Z")), returns.Read(digest));
        Assert.Equal(42, returns.Read(digest)!.Target.SubscriberId);
        Assert.Equal(ReturnAddress.RunRef("weekly/2026-03-01T12.00.00.000Z"), returns.Read(digest)!.Target.RunRef);

        var mail = returns.ForMail(7, 1234)!.Address;
        Assert.Equal(new ReturnToken(ReturnAddress.Mail, 7, 1234), returns.Read(mail));
        Assert.Null(returns.Read(mail)!.Target.RunRef);

        var unsubscribe = returns.UnsubscribeFor(9);
        Assert.StartsWith("news+u9-", unsubscribe, StringComparison.Ordinal);
        Assert.Equal(new ReturnToken(ReturnAddress.Unsubscribe, 9, 0), returns.Read(unsubscribe));
        Assert.StartsWith("leave+u9-", Returns(unsubscribeMailbox: "leave@blog.example.com").UnsubscribeFor(9), StringComparison.Ordinal);
    }

    [Fact]
    public void Without_a_return_path_there_is_no_envelope_sender_but_the_unsubscribe_address_still_works()
    {
        var returns = Returns(returnPath: "");
        Assert.False(returns.Enabled);
        Assert.Null(returns.ForDigest(1, "run"));
        Assert.Null(returns.ForMail(1, 2));
        Assert.NotNull(returns.Read(returns.UnsubscribeFor(3)));
    }

    [Fact]
    public void A_token_whose_case_a_server_folded_still_reads()
    {
        var returns = Returns();
        var address = returns.ForMail(123_456, 789)!.Address;
        Assert.Equal(new ReturnToken(ReturnAddress.Mail, 123_456, 789), returns.Read(address.ToUpperInvariant()));
        // As a bounce or a header may quote it.
        Assert.Equal(new ReturnToken(ReturnAddress.Mail, 123_456, 789), returns.Read($"<{address}>"));
    }

    [Fact]
    public void A_changed_character_or_another_key_is_refused()
    {
        var returns = Returns();
        var address = returns.ForDigest(42, "daily/x")!.Address;
        var at = address.IndexOf('@', StringComparison.Ordinal);
        for (var i = "bounces+".Length; i < at; i++)
        {
            var c = address[i];
            var changed = c == '-' ? 'x' : c == 'a' ? 'b' : 'a';
            var forged = string.Concat(address.AsSpan(0, i), changed.ToString(), address.AsSpan(i + 1));
            Assert.True(returns.Read(forged) is null, $"{forged} was read");
        }
        // Another subscriber's id with this token's MAC.
        Assert.Null(returns.Read(address.Replace("+d16-", "+d17-", StringComparison.Ordinal)));
        Assert.Null(Returns(OtherKey).Read(address));
        Assert.NotNull(Returns(Key).Read(address));
    }

    [Fact]
    public void The_local_part_fits_in_64_characters_for_the_largest_ids_and_the_longest_return_path()
    {
        var returns = Returns(returnPath: "abcdefghijklmnopqrst@blog.example.com");
        foreach (var address in new[]
                 {
                     returns.ForMail(long.MaxValue, long.MaxValue)!.Address,
                     returns.ForDigest(long.MaxValue, "weekly/" + new string('x', 500))!.Address,
                     Returns(unsubscribeMailbox: "abcdefghijklmnopqrst@blog.example.com").UnsubscribeFor(long.MaxValue),
                 })
        {
            var local = address[..address.LastIndexOf('@')];
            Assert.True(local.Length <= 64, $"{local} is {local.Length} characters");
            Assert.NotNull(returns.Read(address));
        }
        Assert.Equal(new ReturnToken(ReturnAddress.Mail, long.MaxValue, long.MaxValue), returns.Read(returns.ForMail(long.MaxValue, long.MaxValue)!.Address));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("bounces@blog.example.com")]
    [InlineData("bounces+@blog.example.com")]
    [InlineData("bounces+d@blog.example.com")]
    [InlineData("bounces+d1-2@blog.example.com")]
    [InlineData("bounces+x1-2-aaaaaaaaaaaaa@blog.example.com")]
    [InlineData("bounces+d01-2-aaaaaaaaaaaaa@blog.example.com")]
    [InlineData("bounces+dzzzzzzzzzzzzzz-2-aaaaaaaaaaaaa@blog.example.com")]
    [InlineData("bounces+d1-2-aaaaaaaaaaaaa-3@blog.example.com")]
    [InlineData("bounces+u1-2-aaaaaaaaaaaaa@blog.example.com")]
    [InlineData("bounces+d1--aaaaaaaaaaaaa@blog.example.com")]
    [InlineData("bounces+d\u0661-2-aaaaaaaaaaaaa@blog.example.com")]
    [InlineData("+++++@@@@@")]
    public void Garbage_is_refused(string? address) => Assert.Null(Returns().Read(address));

    [Fact]
    public void Huge_input_is_refused_without_reading_it()
    {
        var returns = Returns();
        var genuine = returns.ForMail(1, 2)!.Address;
        string[] hostile =
        [
            new string('+', 10_000_000),
            new string('a', 10_000_000) + "+" + genuine,
            genuine + new string('-', 10_000_000),
            string.Concat(Enumerable.Repeat("d1-", 3_000_000)) + "@x",
        ];
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < 100; i++)
            foreach (var address in hostile)
                Assert.Null(returns.Read(address));
        // 400 reads of 10 MB would take seconds if any of it were scanned; refused by length, they take microseconds.
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(1), $"took {clock.Elapsed}");
    }
}

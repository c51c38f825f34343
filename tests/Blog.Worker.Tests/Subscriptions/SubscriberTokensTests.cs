using Blog.Storage;
using Blog.Subscriptions;
using Microsoft.Extensions.Options;

namespace Blog.Tests.Subscriptions;

public sealed class SubscriberTokensTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
    private readonly TempFolder folder = new();

    private SubscriberTokens Tokens(string key = "") => new(new SigningKey(
        Options.Create(new SubscriptionOptions { SigningKey = key }), Options.Create(new StorageOptions { DataPath = folder.Path })));

    [Fact]
    public void A_token_names_its_subscriber_for_its_own_purpose_only()
    {
        var tokens = Tokens();
        Assert.Equal(new TokenCheck(true, false, 42), tokens.Check(tokens.Unsubscribe(42), TokenPurpose.Unsubscribe, Now));
        Assert.Equal(new TokenCheck(true, false, 42), tokens.Check(tokens.Preferences(42), TokenPurpose.Preferences, Now));
        Assert.Equal(new TokenCheck(true, false, 42), tokens.Check(tokens.Confirm(42, Now.AddHours(1)), TokenPurpose.Confirm, Now));

        Assert.False(tokens.Check(tokens.Unsubscribe(42), TokenPurpose.Preferences, Now).IsValid);
        Assert.False(tokens.Check(tokens.Preferences(42), TokenPurpose.Unsubscribe, Now).IsValid);
        Assert.False(tokens.Check(tokens.Unsubscribe(42), TokenPurpose.Confirm, Now).IsValid);
    }

    [Fact]
    public void A_confirmation_expires_and_an_unsubscribe_link_never_does()
    {
        var tokens = Tokens();
        var confirm = tokens.Confirm(7, Now.AddHours(48));
        Assert.True(tokens.Check(confirm, TokenPurpose.Confirm, Now.AddHours(47)).IsValid);
        var late = tokens.Check(confirm, TokenPurpose.Confirm, Now.AddHours(48));
        Assert.False(late.IsValid);
        Assert.True(late.IsExpired);
        Assert.True(tokens.Check(tokens.Unsubscribe(7), TokenPurpose.Unsubscribe, Now.AddYears(30)).IsValid);
    }

    [Fact]
    public void Tampered_truncated_and_foreign_tokens_are_refused()
    {
        var tokens = Tokens();
        var token = tokens.Unsubscribe(42);
        Assert.False(tokens.Check(token.Replace("u.42.", "u.43.", StringComparison.Ordinal), TokenPurpose.Unsubscribe, Now).IsValid);
        Assert.False(tokens.Check(token[..^2], TokenPurpose.Unsubscribe, Now).IsValid);
        Assert.False(tokens.Check(token + "A", TokenPurpose.Unsubscribe, Now).IsValid);
        Assert.False(tokens.Check("", TokenPurpose.Unsubscribe, Now).IsValid);
        Assert.False(tokens.Check(null, TokenPurpose.Unsubscribe, Now).IsValid);
        Assert.False(tokens.Check("u.42", TokenPurpose.Unsubscribe, Now).IsValid);
        Assert.False(tokens.Check(new string('a', 5000), TokenPurpose.Unsubscribe, Now).IsValid);

        // Extending a confirmation's expiry breaks its signature.
        var confirm = tokens.Confirm(42, Now.AddHours(1));
        var parts = confirm.Split('.');
        var extended = $"c.42.{long.Parse(parts[2], System.Globalization.CultureInfo.InvariantCulture) + 86400}.{parts[3]}";
        Assert.False(tokens.Check(extended, TokenPurpose.Confirm, Now).IsValid);

        var other = Tokens(Convert.ToBase64String(new byte[32]));
        Assert.False(other.Check(token, TokenPurpose.Unsubscribe, Now).IsValid);
    }

    [Fact]
    public void The_generated_key_is_kept_in_the_data_folder_readable_by_its_owner_only()
    {
        var token = Tokens().Unsubscribe(1);
        var file = folder.Combine("signing.key");
        Assert.True(File.Exists(file));
        if (!OperatingSystem.IsWindows()) Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        // A second process (a CLI command) signs with the same key.
        Assert.True(Tokens().Check(token, TokenPurpose.Unsubscribe, Now).IsValid);
    }

    public void Dispose() => folder.Dispose();
}

using Blog.Mail;
using Blog.MailingList;
using Microsoft.Extensions.Options;
using MimeKit;

namespace Blog.Tests.Mail;

public sealed class MessageSignerTests
{
    private static MimeMessage Message()
    {
        var composer = new MailComposer(Options.Create(new MailOptions { From = "Blog <news@blog.example.com>" }), TimeProvider.System);
        return composer.Compose(new MailDraft(EmailAddress.Parse("ann@example.com"), "Confirm", "text", "<p>html ünïcödé</p>",
            "m1@blog.example.com", "confirm", new Uri("https://blog.example.com/unsubscribe?token=u.1.abc")));
    }

    [Fact]
    public void A_signature_verifies_against_the_public_key_and_covers_both_list_unsubscribe_headers()
    {
        using var folder = new TempFolder();
        var keys = DkimKeys.Create(folder.Path);
        var signer = new MessageSigner(Options.Create(new MailOptions
        {
            Dkim = new DkimOptions { Domain = "blog.example.com", Selector = "mail", PrivateKeyPath = keys.PrivateKeyPath },
        }));
        var message = Message();
        signer.Sign(message);

        Assert.True(keys.Verify(message));
        var signature = message.Headers[HeaderId.DkimSignature];
        Assert.Contains("d=blog.example.com", signature, StringComparison.Ordinal);
        Assert.Contains("s=mail", signature, StringComparison.Ordinal);
        var signed = signature!.Split("h=")[1].Split(';')[0].Replace(" ", "", StringComparison.Ordinal).Replace("\t", "", StringComparison.Ordinal)
            .Replace("\r\n", "", StringComparison.Ordinal).ToLowerInvariant().Split(':');
        Assert.Contains("list-unsubscribe", signed);
        Assert.Contains("list-unsubscribe-post", signed);
        Assert.Contains("from", signed);

        // A relay that swaps the unsubscribe link breaks the signature.
        message.Headers["List-Unsubscribe"] = "<https://evil.example/unsubscribe>";
        Assert.False(keys.Verify(message));
    }

    [Fact]
    public void Without_settings_nothing_is_signed()
    {
        var signer = new MessageSigner(Options.Create(new MailOptions()));
        var message = Message();
        signer.Sign(message);
        Assert.False(signer.Enabled);
        Assert.Null(message.Headers[HeaderId.DkimSignature]);
    }
}

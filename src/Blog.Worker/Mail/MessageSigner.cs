using MimeKit;
using MimeKit.Cryptography;

namespace Blog.Mail;

/// <summary>
/// DKIM-signs outgoing mail when <c>Mail:Dkim</c> is set. The signature covers both List-Unsubscribe headers, so a
/// receiver can trust the one-click link came from us (RFC 8058 section 4 asks for that).
/// </summary>
public sealed class MessageSigner : IDisposable
{
    private static readonly string[] SignedHeaders =
        ["From", "To", "Subject", "Date", "Message-ID", "List-Unsubscribe", "List-Unsubscribe-Post", "MIME-Version", "Content-Type"];

    private readonly PlatformDkimSigner? signer;

    public MessageSigner(IOptions<MailOptions> options)
    {
        var dkim = options.Value.Dkim;
        if (!dkim.Enabled) return;
        signer = new PlatformDkimSigner(dkim.PrivateKeyPath, dkim.Domain, dkim.Selector)
        {
            HeaderCanonicalizationAlgorithm = DkimCanonicalizationAlgorithm.Relaxed,
            BodyCanonicalizationAlgorithm = DkimCanonicalizationAlgorithm.Relaxed,
        };
    }

    public bool Enabled => signer is not null;

    public void Sign(MimeMessage message)
    {
        if (signer is null) return;
        // The body must be in its final 7-bit form before it is hashed, or a relay's re-encoding breaks the signature.
        message.Prepare(EncodingConstraint.SevenBit);
        signer.Sign(message, SignedHeaders.Where(h => message.Headers.Contains(h)).ToArray());
    }

    public void Dispose() => signer?.Dispose();
}

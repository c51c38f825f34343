using System.Security.Cryptography;
using MimeKit;
using MimeKit.Cryptography;
using Org.BouncyCastle.Crypto;

namespace Blog.Tests.Support;

/// <summary>An RSA key pair: the private key as a PEM file for Mail:Dkim, the public key as the DNS record a receiver would look up.</summary>
public sealed class DkimKeys
{
    private DkimKeys(string privateKeyPath, string dnsRecord)
    {
        PrivateKeyPath = privateKeyPath;
        DnsRecord = dnsRecord;
    }

    public string PrivateKeyPath { get; }

    /// <summary>The TXT record of <c>selector._domainkey.domain</c>.</summary>
    public string DnsRecord { get; }

    public static DkimKeys Create(string folder)
    {
        using var rsa = RSA.Create(2048);
        var path = Path.Combine(folder, "dkim.pem");
        File.WriteAllText(path, rsa.ExportRSAPrivateKeyPem());
        return new DkimKeys(path, $"v=DKIM1; k=rsa; p={Convert.ToBase64String(rsa.ExportSubjectPublicKeyInfo())}");
    }

    /// <summary>Verifies every DKIM-Signature of <paramref name="message"/> as a receiver would, after a round trip through bytes.</summary>
    public bool Verify(MimeMessage message)
    {
        using var bytes = new MemoryStream();
        message.WriteTo(bytes);
        bytes.Position = 0;
        var received = MimeMessage.Load(bytes);
        var verifier = new DkimVerifier(new Locator(DnsRecord));
        var signatures = received.Headers.Where(h => h.Id == HeaderId.DkimSignature).ToList();
        return signatures.Count > 0 && signatures.All(h => verifier.Verify(received, h));
    }

    private sealed class Locator(string record) : DkimPublicKeyLocatorBase
    {
        public override AsymmetricKeyParameter LocatePublicKey(string methods, string domain, string selector, CancellationToken cancellationToken = default) =>
            GetPublicKey(record);

        public override Task<AsymmetricKeyParameter> LocatePublicKeyAsync(string methods, string domain, string selector, CancellationToken cancellationToken = default) =>
            Task.FromResult(GetPublicKey(record));
    }
}

using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Blog.Webhooks;

/// <summary>
/// Amazon SNS's message signature, as AWS documents it: the named fields of the message, each as its name and value
/// on a line of their own in a fixed order, signed with SHA1withRSA (SignatureVersion 1) or SHA256withRSA (2) by the
/// key of the certificate at SigningCertURL. That URL is believed only on SNS's own hosts, over https.
/// </summary>
internal static partial class SnsSignature
{
    // The fields of each type that are signed, in the documented order; Subject only when the message has one.
    private static readonly string[] NotificationFields = ["Message", "MessageId", "Subject", "Timestamp", "TopicArn", "Type"];
    private static readonly string[] SubscriptionFields = ["Message", "MessageId", "SubscribeURL", "Timestamp", "Token", "TopicArn", "Type"];

    /// <summary>
    /// SNS's host for a topic: <c>sns.{region}.amazonaws.com</c> (<c>.amazonaws.com.cn</c> in China), the region
    /// being the topic ARN's; null when the ARN is not one of an SNS topic.
    /// </summary>
    public static string? Host(string? topicArn)
    {
        var match = topicArn is null ? null : TopicArn().Match(topicArn);
        if (match is not { Success: true }) return null;
        return $"sns.{match.Groups["region"].Value}.amazonaws.com{(match.Groups["partition"].Value == "aws-cn" ? ".cn" : "")}";
    }

    /// <summary>
    /// Whether <paramref name="url"/> is on the topic's own SNS host (<see cref="Host"/>) over https on its default
    /// port. Any other host is refused before anything is fetched: a pattern such as <c>sns.*.amazonaws.com</c> would
    /// also take S3 buckets named "sns" (<c>sns.s3.amazonaws.com</c>), whose content anyone can choose.
    /// </summary>
    public static bool TryPinHost(string? url, string? topicArn, out Uri uri)
    {
        uri = null!;
        if (Host(topicArn) is not { } host) return false;
        if (url is null || url.Length > 2048 || !Uri.TryCreate(url, UriKind.Absolute, out var parsed)) return false;
        if (parsed.Scheme != Uri.UriSchemeHttps || !parsed.IsDefaultPort || parsed.UserInfo.Length > 0) return false;
        if (!string.Equals(parsed.IdnHost, host, StringComparison.Ordinal)) return false;
        uri = parsed;
        return true;
    }

    /// <summary><see cref="TryPinHost"/>, at the path SNS serves its certificates at (<c>/SimpleNotificationService-{hex}.pem</c>), with no query.</summary>
    public static bool TryPinCertificate(string? url, string? topicArn, out Uri uri) =>
        TryPinHost(url, topicArn, out uri) && CertificatePath().IsMatch(uri.AbsolutePath) && uri.Query.Length == 0;

    /// <summary>
    /// Whether a fetched certificate is SNS's: issued for <c>sns.amazonaws.com</c> or the host it came from (its
    /// subject's CN or a DNS name among its alternative names), valid now, and chaining to a trusted root (the
    /// system's, or one of <paramref name="roots"/>). Revocation is not checked: the URL is already pinned to SNS.
    /// </summary>
    public static bool Trusted(X509Certificate2 certificate, X509Certificate2Collection intermediates, string host, SnsRoots roots, DateTimeOffset now)
    {
        if (!certificate.MatchesHostname("sns.amazonaws.com", allowWildcards: false, allowCommonName: true)
            && !certificate.MatchesHostname(host, allowWildcards: false, allowCommonName: true))
            return false;
        if (Chains(certificate, intermediates, null, now)) return true;
        return roots.Extra.Count > 0 && Chains(certificate, intermediates, roots.Extra, now);
    }

    private static bool Chains(X509Certificate2 certificate, X509Certificate2Collection intermediates, IReadOnlyList<X509Certificate2>? roots, DateTimeOffset now)
    {
        using var chain = new X509Chain();
        var policy = chain.ChainPolicy;
        policy.RevocationMode = X509RevocationMode.NoCheck;
        policy.VerificationTime = now.UtcDateTime;
        // SNS serves the certificate alone; its issuer may have to be fetched from the address the certificate names.
        policy.UrlRetrievalTimeout = TimeSpan.FromSeconds(10);
        policy.ExtraStore.AddRange(intermediates);
        if (roots is not null)
        {
            policy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            foreach (var root in roots) policy.CustomTrustStore.Add(root);
        }
        return chain.Build(certificate);
    }

    /// <summary>The string that was signed, or null when a field it needs is missing (or the type is not one SNS signs).</summary>
    public static string? Canonical(JsonElement message)
    {
        var fields = message.Text("Type") switch
        {
            "Notification" => NotificationFields,
            "SubscriptionConfirmation" or "UnsubscribeConfirmation" => SubscriptionFields,
            _ => null,
        };
        if (fields is null) return null;
        var text = new StringBuilder();
        foreach (var field in fields)
        {
            var value = message.Child(field);
            if (value.ValueKind != JsonValueKind.String)
            {
                if (field == "Subject" && value.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null) continue;
                return null;
            }
            text.Append(field).Append('\n').Append(value.GetString()).Append('\n');
        }
        return text.ToString();
    }

    public static bool Verify(X509Certificate2 certificate, string canonical, string? signature, string? version)
    {
        var hash = version switch
        {
            "1" => HashAlgorithmName.SHA1,
            "2" => HashAlgorithmName.SHA256,
            _ => default,
        };
        if (hash.Name is null || signature is null || signature.Length > 4096) return false;
        var bytes = new byte[signature.Length];
        if (!Convert.TryFromBase64String(signature, bytes, out var length)) return false;
        using var key = certificate.GetRSAPublicKey();
        return key is not null && key.VerifyData(Encoding.UTF8.GetBytes(canonical), bytes.AsSpan(0, length), hash, RSASignaturePadding.Pkcs1);
    }

    [GeneratedRegex(@"^arn:(?<partition>aws|aws-cn|aws-us-gov):sns:(?<region>[a-z]{2}(-[a-z]+)+-[0-9]{1,2}):[0-9]{12}:", RegexOptions.CultureInvariant, 1000)]
    private static partial Regex TopicArn();

    [GeneratedRegex(@"^/SimpleNotificationService-[0-9a-f]+\.pem$", RegexOptions.CultureInvariant, 1000)]
    private static partial Regex CertificatePath();
}

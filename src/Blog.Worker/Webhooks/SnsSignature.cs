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
    /// Whether <paramref name="url"/> is on an SNS host (<c>sns.{region}.amazonaws.com</c>, or <c>.amazonaws.com.cn</c>)
    /// over https on its default port; a message naming any other is refused before anything is fetched.
    /// </summary>
    public static bool TryPinHost(string? url, out Uri uri)
    {
        uri = null!;
        if (url is null || url.Length > 2048 || !Uri.TryCreate(url, UriKind.Absolute, out var parsed)) return false;
        if (parsed.Scheme != Uri.UriSchemeHttps || !parsed.IsDefaultPort || parsed.UserInfo.Length > 0) return false;
        if (!SnsHost().IsMatch(parsed.IdnHost)) return false;
        uri = parsed;
        return true;
    }

    /// <summary><see cref="TryPinHost"/>, and a path that names a certificate (<c>.pem</c>) with no query.</summary>
    public static bool TryPinCertificate(string? url, out Uri uri) =>
        TryPinHost(url, out uri) && uri.AbsolutePath.EndsWith(".pem", StringComparison.Ordinal) && uri.Query.Length == 0;

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

    [GeneratedRegex(@"^sns\.[a-z0-9-]{1,40}\.amazonaws\.com(\.cn)?$", RegexOptions.CultureInvariant, 1000)]
    private static partial Regex SnsHost();
}

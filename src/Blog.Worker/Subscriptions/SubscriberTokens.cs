using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Blog.Subscriptions;

/// <summary>
/// Signed tokens for the links in mail: <c>{purpose}.{subscriber id}[.{expiry}].{mac}</c>, the MAC a truncated
/// HMAC-SHA256 over everything before it. The subscriber id never repeats (the store does not reuse ids), so a
/// token for a forgotten subscriber names no one. Pure apart from the key.
/// </summary>
public sealed class SubscriberTokens(SigningKey key)
{
    private const int MacBytes = 16;

    public string Confirm(long subscriberId, DateTimeOffset expires) =>
        Sign($"c.{subscriberId.ToString(CultureInfo.InvariantCulture)}.{expires.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)}");

    public string Unsubscribe(long subscriberId) => Sign($"u.{subscriberId.ToString(CultureInfo.InvariantCulture)}");

    public string Preferences(long subscriberId) => Sign($"p.{subscriberId.ToString(CultureInfo.InvariantCulture)}");

    /// <summary>The subscriber id in <paramref name="token"/> when it is genuine, for this purpose and not expired.</summary>
    public TokenCheck Check(string? token, TokenPurpose purpose, DateTimeOffset now)
    {
        if (string.IsNullOrEmpty(token) || token.Length > 200) return TokenCheck.Invalid;
        var dot = token.LastIndexOf('.');
        if (dot <= 0) return TokenCheck.Invalid;
        var body = token[..dot];
        var mac = token.AsSpan(dot + 1);
        Span<byte> given = stackalloc byte[MacBytes + 4];
        if (!Base64Url.IsValid(mac) || !Base64Url.TryDecodeFromChars(mac, given, out var written) || written != MacBytes) return TokenCheck.Invalid;
        if (!CryptographicOperations.FixedTimeEquals(given[..MacBytes], Mac(body))) return TokenCheck.Invalid;

        var parts = body.Split('.');
        var expected = purpose switch { TokenPurpose.Confirm => "c", TokenPurpose.Unsubscribe => "u", _ => "p" };
        if (parts[0] != expected || parts.Length != (purpose == TokenPurpose.Confirm ? 3 : 2)) return TokenCheck.Invalid;
        if (!long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var id)) return TokenCheck.Invalid;
        if (purpose == TokenPurpose.Confirm)
        {
            if (!long.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var expires)) return TokenCheck.Invalid;
            if (now.ToUnixTimeSeconds() >= expires) return TokenCheck.Expired(id);
        }
        return TokenCheck.Valid(id);
    }

    private string Sign(string body) => $"{body}.{Base64Url.EncodeToString(Mac(body))}";

    private byte[] Mac(string body) => HMACSHA256.HashData(key.Bytes, Encoding.ASCII.GetBytes(body))[..MacBytes];
}

using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Blog.MailingList;

namespace Blog.Subscriptions;

/// <summary>
/// Signed tokens for the links in mail: <c>{purpose}.{subscriber id}[.{expiry}][.{link key}].{mac}</c>, the MAC a
/// truncated HMAC-SHA256 over everything before it. The link key is the subscriber's own random
/// <see cref="Subscriber.LinkKey"/>, so a token reaches its recipient and no one else, even one who got the same id
/// (<see cref="CheckAsync"/> compares it with the stored one). Subscribers from before link keys have none, and
/// their tokens, mailed without one, keep working.
/// </summary>
public sealed class SubscriberTokens(SigningKey key)
{
    private const int MacBytes = 16;
    private const int MaxLinkKeyLength = 43;

    public string Confirm(Subscriber subscriber, DateTimeOffset expires) => Confirm(subscriber.Id, expires, subscriber.LinkKey);

    public string Unsubscribe(Subscriber subscriber) => Unsubscribe(subscriber.Id, subscriber.LinkKey);

    public string Preferences(Subscriber subscriber) => Preferences(subscriber.Id, subscriber.LinkKey);

    /// <summary>A token without a link key: what was mailed before link keys, and reaches only a subscriber who has none.</summary>
    public string Confirm(long subscriberId, DateTimeOffset expires, string? linkKey = null) =>
        Sign($"c.{subscriberId.ToString(CultureInfo.InvariantCulture)}.{expires.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)}", linkKey);

    public string Unsubscribe(long subscriberId, string? linkKey = null) => Sign($"u.{subscriberId.ToString(CultureInfo.InvariantCulture)}", linkKey);

    public string Preferences(long subscriberId, string? linkKey = null) => Sign($"p.{subscriberId.ToString(CultureInfo.InvariantCulture)}", linkKey);

    /// <summary>
    /// <see cref="Check"/>, then the subscriber the token names must hold the token's link key (both none for a
    /// subscriber from before link keys). A token for an id no one holds passes here, with no <see cref="TokenCheck.Subscriber"/>.
    /// </summary>
    public async Task<TokenCheck> CheckAsync(string? token, TokenPurpose purpose, DateTimeOffset now, ISubscriberStore store, CancellationToken cancellationToken)
    {
        var check = Check(token, purpose, now);
        if (!check.IsValid && !check.IsExpired) return check;
        var subscriber = await store.FindAsync(check.SubscriberId, cancellationToken);
        if (subscriber is not null && !string.Equals(subscriber.LinkKey, check.LinkKey, StringComparison.Ordinal)) return TokenCheck.Invalid;
        return check with { LinkKey = null, Subscriber = subscriber };
    }

    /// <summary>The subscriber id (and link key) in <paramref name="token"/> when it is genuine, for this purpose and not expired.</summary>
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
        var plain = purpose == TokenPurpose.Confirm ? 3 : 2;
        if (parts[0] != expected || (parts.Length != plain && parts.Length != plain + 1)) return TokenCheck.Invalid;
        if (!long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var id)) return TokenCheck.Invalid;
        var linkKey = parts.Length > plain ? parts[plain] : null;
        if (linkKey is not null && (linkKey.Length == 0 || linkKey.Length > MaxLinkKeyLength || !Base64Url.IsValid(linkKey))) return TokenCheck.Invalid;
        if (purpose == TokenPurpose.Confirm)
        {
            if (!long.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var expires)) return TokenCheck.Invalid;
            if (now.ToUnixTimeSeconds() >= expires) return TokenCheck.Expired(id) with { LinkKey = linkKey };
        }
        return TokenCheck.Valid(id) with { LinkKey = linkKey };
    }

    private string Sign(string body, string? linkKey)
    {
        if (linkKey is not null) body = $"{body}.{linkKey}";
        return $"{body}.{Base64Url.EncodeToString(Mac(body))}";
    }

    private byte[] Mac(string body) => HMACSHA256.HashData(key.Bytes, Encoding.ASCII.GetBytes(body))[..MacBytes];
}

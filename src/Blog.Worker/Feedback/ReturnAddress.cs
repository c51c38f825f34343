using System.Security.Cryptography;
using System.Text;
using Blog.Mail;
using Blog.Subscriptions;
using MimeKit;

namespace Blog.Feedback;

/// <summary>
/// Addresses that name what they answer (VERP): the envelope sender of each mail, <c>bounces+{token}@domain</c> from
/// <see cref="MailOptions.ReturnPath"/>, and the List-Unsubscribe mailto, <c>{local}+{token}@domain</c> from
/// <see cref="MailOptions.UnsubscribeMailbox"/> or From (<c>newsletter+u16-…@blog.example.com</c>). A bounce
/// or a request sent back to one is tied to its subscriber (and digest run) whatever the far server wrote in it.
/// <para>
/// The token is <c>{kind}{subscriber id}[-{ref}]-{mac}</c>: base 36 numbers and a base 32 MAC, lower case, because
/// some servers fold the case of local parts; short, because a local part holds at most 64 characters (RFC 5321).
/// The MAC is 8 bytes of HMAC-SHA256 under the link-signing key, so a token cannot be made up to bounce or
/// unsubscribe someone else.
/// </para>
/// </summary>
public sealed class ReturnAddress(SigningKey key, IOptions<MailOptions> options)
{
    public const char Digest = 'd';
    public const char Mail = 'm';
    public const char Unsubscribe = 'u';
    private const int MacBytes = 8;
    private const int MaxTokenLength = 60;

    /// <summary>Whether <see cref="MailOptions.ReturnPath"/> is set, and mail goes out with a return path per delivery.</summary>
    public bool Enabled => options.Value.ReturnPath.Length > 0;

    /// <summary>The envelope sender for a digest, or null when <see cref="MailOptions.ReturnPath"/> is not set.</summary>
    public MailboxAddress? ForDigest(long subscriberId, string runKey) => Enabled ? Address(options.Value.ReturnPath, Token(Digest, subscriberId, RunRef(runKey))) : null;

    /// <summary>The envelope sender for a queued mail (a confirmation, a welcome), or null when <see cref="MailOptions.ReturnPath"/> is not set.</summary>
    public MailboxAddress? ForMail(long subscriberId, long outboxId) => Enabled ? Address(options.Value.ReturnPath, Token(Mail, subscriberId, (ulong)outboxId)) : null;

    /// <summary>The return path itself, without a token, for mail that names no subscriber; null when it is not set.</summary>
    public MailboxAddress? Plain => Enabled ? new MailboxAddress("", MailboxAddress.Parse(options.Value.ReturnPath).Address) : null;

    /// <summary>
    /// Whether List-Unsubscribe's mailto carries <see cref="UnsubscribeFor"/>'s token: only when the owner opted into
    /// reading replies by setting <see cref="MailOptions.ReturnPath"/> (VERP already needs subaddressing) or
    /// <see cref="MailOptions.UnsubscribeMailbox"/> (the mailbox the inbox reader reads). Otherwise the plain mailbox,
    /// because a server without subaddressing would refuse <c>local+token@</c> and the request would bounce.
    /// </summary>
    public bool TokenedUnsubscribe => TokenedUnsubscribeIn(options.Value);

    internal static bool TokenedUnsubscribeIn(MailOptions options) => options.ReturnPath.Length > 0 || options.UnsubscribeMailbox.Length > 0;

    /// <summary>The List-Unsubscribe mailto address for a subscriber: <see cref="MailOptions.UnsubscribeMailbox"/> (or From) with a token.</summary>
    public string UnsubscribeFor(long subscriberId)
    {
        var mailbox = options.Value.UnsubscribeMailbox.Length > 0 ? options.Value.UnsubscribeMailbox : options.Value.From;
        return Address(mailbox, Token(Unsubscribe, subscriberId, 0)).Address;
    }

    /// <summary>A run's ref in a token: 32 bits of SHA-256 of its key. The store matches it among one subscriber's runs, where it is unique.</summary>
    public static uint RunRef(string runKey)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(runKey), hash);
        return System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(hash);
    }

    /// <summary>The token in <paramref name="address"/>'s local part (after its last <c>+</c>), when it is one of ours and genuine; null otherwise.</summary>
    public ReturnToken? Read(string? address)
    {
        if (string.IsNullOrEmpty(address) || address.Length > 320) return null;
        var at = address.LastIndexOf('@');
        var local = at < 0 ? address : address[..at];
        var plus = local.LastIndexOf('+');
        if (plus < 0) return null;
        var token = local[(plus + 1)..].Trim('<', '>', '"', ' ').ToLowerInvariant();
        if (token.Length is < 4 or > MaxTokenLength) return null;
        var parts = token[1..].Split('-');
        var kind = token[0];
        if (kind is not (Digest or Mail or Unsubscribe)) return null;
        if (parts.Length != (kind == Unsubscribe ? 2 : 3)) return null;
        if (!TryBase36(parts[0], out var id) || id > long.MaxValue) return null;
        ulong reference = 0;
        if (kind != Unsubscribe && !TryBase36(parts[1], out reference)) return null;
        var expected = Token(kind, (long)id, reference);
        // The whole token compared in constant time: the MAC is its tail.
        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(token))
            ? new ReturnToken(kind, (long)id, reference)
            : null;
    }

    private string Token(char kind, long subscriberId, ulong reference)
    {
        var body = kind == Unsubscribe
            ? $"{kind}{Base36((ulong)subscriberId)}"
            : $"{kind}{Base36((ulong)subscriberId)}-{Base36(reference)}";
        var mac = HMACSHA256.HashData(key.Bytes, Encoding.ASCII.GetBytes($"return:{body}"));
        return $"{body}-{Base32(mac.AsSpan(0, MacBytes))}";
    }

    private static MailboxAddress Address(string configured, string token)
    {
        var mailbox = MailboxAddress.Parse(configured);
        var at = mailbox.Address.LastIndexOf('@');
        return new MailboxAddress("", $"{mailbox.Address[..at]}+{token}{mailbox.Address[at..]}");
    }

    private const string Base36Digits = "0123456789abcdefghijklmnopqrstuvwxyz";

    private static string Base36(ulong value)
    {
        if (value == 0) return "0";
        Span<char> digits = stackalloc char[16];
        var i = digits.Length;
        while (value > 0)
        {
            digits[--i] = Base36Digits[(int)(value % 36)];
            value /= 36;
        }
        return new string(digits[i..]);
    }

    private static bool TryBase36(string text, out ulong value)
    {
        value = 0;
        if (text.Length is 0 or > 13 || (text.Length > 1 && text[0] == '0')) return false;
        foreach (var c in text)
        {
            var digit = Base36Digits.IndexOf(c, StringComparison.Ordinal);
            if (digit < 0) return false;
            if (value > (ulong.MaxValue - (ulong)digit) / 36) return false;
            value = value * 36 + (ulong)digit;
        }
        return true;
    }

    /// <summary>RFC 4648 base 32 in lower case, unpadded: case-folding servers leave it readable.</summary>
    internal static string Base32(ReadOnlySpan<byte> bytes)
    {
        const string alphabet = "abcdefghijklmnopqrstuvwxyz234567";
        var text = new StringBuilder((bytes.Length * 8 + 4) / 5);
        int buffer = 0, bits = 0;
        foreach (var b in bytes)
        {
            buffer = (buffer << 8) | b;
            bits += 8;
            while (bits >= 5)
            {
                text.Append(alphabet[(buffer >> (bits - 5)) & 31]);
                bits -= 5;
            }
        }
        if (bits > 0) text.Append(alphabet[(buffer << (5 - bits)) & 31]);
        return text.ToString();
    }
}

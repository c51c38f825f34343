using System.Security.Cryptography;
using System.Text;
using Blog.Feedback;
using Blog.Subscriptions;
using MimeKit;

namespace Blog.Mail;

/// <summary>
/// Makes the Message-ID of every mail we send a subscriber: <c>{kind}.{part}….{tag}@{From's domain}</c>, where the tag
/// is 16 base 32 characters (80 bits) of HMAC-SHA256 under the link-signing key over all before it.
/// <para>
/// Without <see cref="MailOptions.ReturnPath"/>, a bounce or complaint is tied to its subscriber by the Message-ID it
/// quotes. The parts alone (a run's time, a subscriber id) can be guessed; the tag cannot, so a forged report that
/// quotes a made-up id matches no mail. Deterministic: a resend of the same mail gets the same id. Mail already planned
/// or queued keeps the id stored with it, so ids minted before the tag existed still match what was sent.
/// </para>
/// </summary>
public sealed class MessageIdMint(SigningKey key, IOptions<MailOptions> options)
{
    /// <summary>Base 32 characters of the tag.</summary>
    public const int TagLength = 16;

    // A part longer than this is cut and given a hash of its whole, so that the id, domain included, stays well inside
    // a header line and under the 250 characters some stores index.
    private const int MaxPart = 64;
    private const int KeptOfLongPart = 40;

    private readonly string domain = MailboxAddress.Parse(options.Value.From).Domain;

    /// <summary>The id, without angle brackets, of the mail that <paramref name="kind"/> and <paramref name="parts"/> name.</summary>
    /// <param name="kind">What the mail is: <c>digest</c>, <c>confirm</c>, <c>welcome</c>.</param>
    public string For(string kind, params ReadOnlySpan<string> parts)
    {
        var left = new StringBuilder(Atom(kind));
        foreach (var part in parts) left.Append('.').Append(Atom(part));
        var body = left.ToString();
        return $"{body}.{Tag(body)}@{domain}";
    }

    /// <summary>Whether <paramref name="messageId"/> (with or without angle brackets) is one this key minted, whatever its domain.</summary>
    public bool IsMinted(string? messageId)
    {
        if (string.IsNullOrEmpty(messageId) || messageId.Length > 998) return false;
        var id = messageId.Trim().TrimStart('<').TrimEnd('>');
        var at = id.LastIndexOf('@');
        if (at < 0) return false;
        var dot = id.LastIndexOf('.', at);
        if (dot < 0 || at - dot - 1 != TagLength) return false;
        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Tag(id[..dot])), Encoding.ASCII.GetBytes(id[(dot + 1)..at]));
    }

    /// <summary>
    /// The subscriber a minted confirmation or welcome id names (<c>confirm.{id}.{time}</c>, <c>welcome.{id}.{time}</c>),
    /// or null for any other id. Such mail leaves the outbox once sent, so a report quoting its id is tied to the
    /// subscriber by the id itself; its tag vouches for it. (A digest's id is found among the deliveries, with its run.)
    /// </summary>
    public long? SubscriberIn(string? messageId)
    {
        if (!IsMinted(messageId)) return null;
        var id = messageId!.Trim().TrimStart('<').TrimEnd('>');
        var parts = id[..id.LastIndexOf('@')].Split('.');
        return parts.Length == 4 && parts[0] is "confirm" or "welcome"
               && long.TryParse(parts[1], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var subscriber)
            ? subscriber
            : null;
    }

    /// <summary>
    /// <paramref name="target"/> as a Message-ID we minted vouches for it: a confirmation's or welcome's names its
    /// subscriber; a digest's names its delivery (and run), so nothing else the report said is needed. Null when the
    /// target's id is not one of ours (or a signed return path already named the subscriber).
    /// </summary>
    public Blog.Feedback.FeedbackTarget? Vouch(Blog.Feedback.FeedbackTarget target) =>
        target.SubscriberId is not null || !IsMinted(target.MessageId) ? null
        : SubscriberIn(target.MessageId) is { } subscriber ? new Blog.Feedback.FeedbackTarget(subscriber) { Trusted = true }
        : target with { Address = null, Trusted = true };

    private string Tag(string body) =>
        // Its own prefix, so no tag is ever a MAC another use of the key (return paths, links) would accept.
        ReturnAddress.Base32(HMACSHA256.HashData(key.Bytes, Encoding.UTF8.GetBytes($"message-id:{body}")).AsSpan(0, TagLength * 5 / 8));

    /// <summary>
    /// <paramref name="text"/> as an RFC 5322 dot-atom that needs no quoting anywhere: letters, digits and hyphens,
    /// other characters as single dots, none at either end.
    /// </summary>
    private static string Atom(string text)
    {
        var atom = new StringBuilder(Math.Min(text.Length, MaxPart + 1));
        foreach (var c in text)
        {
            if (char.IsAsciiLetterOrDigit(c) || c == '-') atom.Append(c);
            else if (atom.Length > 0 && atom[^1] != '.') atom.Append('.');
        }
        var result = atom.ToString().TrimEnd('.');
        if (result.Length == 0) result = "0";
        if (result.Length <= MaxPart) return result;
        // Cut, and told apart from others cut alike by a hash of the whole text (not the atom: "a:b" and "a/b" differ).
        var hash = ReturnAddress.Base32(SHA256.HashData(Encoding.UTF8.GetBytes(text)).AsSpan(0, 10));
        return $"{result[..KeptOfLongPart].TrimEnd('.')}.{hash}";
    }
}

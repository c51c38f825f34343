using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Blog.Feedback;

namespace Blog.Webhooks;

/// <summary>
/// <c>/webhooks/sendgrid</c>: SendGrid's Signed Event Webhook, an array of events signed with ECDSA P-256 over the
/// timestamp header followed by the raw body (<c>X-Twilio-Email-Event-Webhook-Signature</c>, base64 DER, and
/// <c>-Timestamp</c>), checked with the verification key in <c>Webhooks:SendGrid:PublicKey</c>.
/// </summary>
internal sealed class SendGridWebhook(IOptions<WebhooksOptions> options, TimeProvider time) : IWebhookReader
{
    public const string Source = "sendgrid";

    public const string SignatureHeader = "X-Twilio-Email-Event-Webhook-Signature";

    public const string TimestampHeader = "X-Twilio-Email-Event-Webhook-Timestamp";

    // Imported once: the setting is validated at start, so it parses.
    private readonly Lazy<byte[]> key = new(() => PublicKey(options.Value.SendGrid.PublicKey) ?? []);

    public string Name => Source;

    public bool Configured => options.Value.SendGrid.PublicKey.Length > 0;

    public ValueTask<WebhookReading> ReadAsync(WebhookRequest request, CancellationToken cancellationToken) =>
        ValueTask.FromResult(Read(request));

    private WebhookReading Read(WebhookRequest request)
    {
        var timestamp = request.Headers[TimestampHeader].ToString();
        var signature = request.Headers[SignatureHeader].ToString();
        if (timestamp.Length is 0 or > 20 || signature.Length is 0 or > 512 || !Signed(timestamp, signature, request.Body))
            return WebhookReading.Unauthorized("the SendGrid signature is missing or does not verify");
        var now = time.GetUtcNow();
        if (!long.TryParse(timestamp, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var seconds)
            || seconds > 32503680000 || (now - DateTimeOffset.FromUnixTimeSeconds(seconds)).Duration() > options.Value.MaxAge)
            return WebhookReading.Unauthorized($"the signature's timestamp {timestamp} is more than Webhooks:MaxAge ({options.Value.MaxAge}) from now");
        using var document = WebhookJson.TryParse(request.Body, out var error);
        if (document is null) return WebhookReading.Invalid($"SendGrid webhook: {error}.");
        return Map(document.RootElement, now);
    }

    private bool Signed(string timestamp, string signature, ReadOnlyMemory<byte> body)
    {
        var bytes = new byte[signature.Length];
        if (!Convert.TryFromBase64String(signature, bytes, out var length)) return false;
        // Hashed in two parts rather than copied behind the timestamp: a batch of up to MaxBodyBytes is held once.
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(Encoding.UTF8.GetBytes(timestamp));
        hash.AppendData(body.Span);
        // A key per request: an ECDsa object is not documented as safe to share between threads.
        using var ecdsa = ECDsa.Create();
        ecdsa.ImportSubjectPublicKeyInfo(key.Value, out _);
        return ecdsa.VerifyHash(hash.GetHashAndReset(), bytes.AsSpan(0, length), DSASignatureFormat.Rfc3279DerSequence);
    }

    /// <summary>The DER SubjectPublicKeyInfo of a P-256 key given as base64 DER (as SendGrid shows it) or PEM; null when it is not one.</summary>
    internal static byte[]? PublicKey(string text)
    {
        try
        {
            using var ecdsa = ECDsa.Create();
            if (text.Contains("-----BEGIN", StringComparison.Ordinal)) ecdsa.ImportFromPem(text);
            else ecdsa.ImportSubjectPublicKeyInfo(Convert.FromBase64String(text.Trim()), out _);
            if (ecdsa.KeySize != 256) return null;
            return ecdsa.ExportSubjectPublicKeyInfo();
        }
        catch (Exception e) when (e is CryptographicException or FormatException or ArgumentException)
        {
            return null;
        }
    }

    /// <summary>
    /// The events of one request. bounce: hard, unless its type is blocked (soft). dropped: SendGrid would not even
    /// try, for a reason it names; a bounced or invalid address is a hard bounce, a spam-reporting one a complaint,
    /// an unsubscribed one an unsubscribe, others ignored. deferred: ignored, since SendGrid keeps trying and reports
    /// a bounce if it gives up. spamreport: complaint. unsubscribe, group_unsubscribe: unsubscribe.
    /// </summary>
    internal static WebhookReading Map(JsonElement events, DateTimeOffset now)
    {
        if (events.ValueKind != JsonValueKind.Array) return WebhookReading.Invalid("SendGrid webhook: the body is not a JSON array of events.");
        var mapped = new List<FeedbackEvent>();
        foreach (var item in events.EnumerateArray())
        {
            var reason = item.Text("reason");
            FeedbackKind? kind = item.Text("event") switch
            {
                "bounce" => item.Text("type") == "blocked" ? FeedbackKind.SoftBounce : FeedbackKind.HardBounce,
                "dropped" => reason switch
                {
                    "Bounced Address" or "Invalid" => FeedbackKind.HardBounce,
                    "Spam Reporting Address" => FeedbackKind.Complaint,
                    "Unsubscribed Address" => FeedbackKind.Unsubscribe,
                    _ => null,
                },
                "spamreport" => FeedbackKind.Complaint,
                "unsubscribe" or "group_unsubscribe" => FeedbackKind.Unsubscribe,
                _ => null,
            };
            if (kind is not { } known || WebhookJson.Address(item.Text("email")) is not { } recipient) continue;
            var id = item.Text("sg_event_id") ?? WebhookJson.Hash(Encoding.UTF8.GetBytes(item.GetRawText()));
            mapped.Add(new FeedbackEvent($"{Source}:{id}:{recipient}", known, Source, WebhookJson.Time(item.Text("timestamp")) ?? now,
                new FeedbackTarget(MessageId: WebhookJson.MessageId(item.Text("smtp-id")), Address: recipient),
                WebhookJson.Diagnostic(item.Text("status"), reason, item.Text("event") == "bounce" ? null : item.Text("event"))));
        }
        return WebhookReading.Accepted(mapped);
    }
}

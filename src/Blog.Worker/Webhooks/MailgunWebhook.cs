using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Blog.Feedback;

namespace Blog.Webhooks;

/// <summary>
/// <c>/webhooks/mailgun</c>: Mailgun's event webhooks (failed, complained, unsubscribed). Its signature is the
/// HMAC-SHA256 of the timestamp and a token under the webhook signing key; it does not cover the event, so a token
/// is taken once (<see cref="WebhookReading.ReplayKey"/>) and a timestamp only while fresh.
/// </summary>
internal sealed class MailgunWebhook(IOptions<WebhooksOptions> options, TimeProvider time) : IWebhookReader
{
    public const string Source = "mailgun";

    public string Name => Source;

    public bool Configured => options.Value.Mailgun.SigningKey.Length > 0;

    public ValueTask<WebhookReading> ReadAsync(WebhookRequest request, CancellationToken cancellationToken) =>
        ValueTask.FromResult(Read(request.Body));

    private WebhookReading Read(ReadOnlyMemory<byte> body)
    {
        using var document = WebhookJson.TryParse(body, out var error);
        if (document is null) return WebhookReading.Invalid($"Mailgun webhook: {error}.");
        var root = document.RootElement;
        var signature = root.Child("signature");
        var timestamp = signature.Text("timestamp");
        var token = signature.Text("token");
        if (timestamp is null || token is null || token.Length > 128 || !Signed(timestamp, token, signature.Text("signature")))
            return WebhookReading.Unauthorized("the Mailgun signature is missing or does not verify");
        var now = time.GetUtcNow();
        if (!long.TryParse(timestamp, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var seconds)
            || seconds > 32503680000 || (now - DateTimeOffset.FromUnixTimeSeconds(seconds)).Duration() > options.Value.MaxAge)
            return WebhookReading.Unauthorized($"the signature's timestamp {timestamp} is more than Webhooks:MaxAge ({options.Value.MaxAge}) from now");
        var reading = Map(root.Child("event-data"), body.Span, now);
        // The key stays under the store's key length (Mailgun's tokens are 50 characters), so it is kept as written and pruned by its prefix.
        return reading with { ReplayKey = $"{Source}-token:{token}" };
    }

    private bool Signed(string timestamp, string token, string? signature)
    {
        if (signature is not { Length: 64 }) return false;
        Span<byte> presented = stackalloc byte[32];
        if (Convert.FromHexString(signature, presented, out _, out var written) != System.Buffers.OperationStatus.Done || written != 32) return false;
        var expected = HMACSHA256.HashData(Encoding.UTF8.GetBytes(options.Value.Mailgun.SigningKey), Encoding.UTF8.GetBytes(timestamp + token));
        return CryptographicOperations.FixedTimeEquals(expected, presented);
    }

    /// <summary>
    /// An event-data object: failed (permanent), complained, unsubscribed; others are taken and ignored. A temporary
    /// failure is ignored as a DSN's "delayed" is: Mailgun keeps trying and reports it again as permanent if it gives
    /// up, so counting both would make one failed delivery two bounces. A permanent failure Mailgun did not even try
    /// because the address is on one of its suppression lists is what put it there: an unsubscribe, a complaint or a
    /// bounce.
    /// </summary>
    internal static WebhookReading Map(JsonElement data, ReadOnlySpan<byte> body, DateTimeOffset now)
    {
        if (data.ValueKind != JsonValueKind.Object) return WebhookReading.Invalid("Mailgun webhook: event-data is missing or not an object.");
        FeedbackKind? kind = data.Text("event") switch
        {
            "failed" => data.Text("severity") switch
            {
                "permanent" => data.Text("reason") switch
                {
                    "suppress-unsubscribe" => FeedbackKind.Unsubscribe,
                    "suppress-complaint" => FeedbackKind.Complaint,
                    _ => FeedbackKind.HardBounce,
                },
                _ => null,
            },
            "complained" => FeedbackKind.Complaint,
            "unsubscribed" => FeedbackKind.Unsubscribe,
            _ => null,
        };
        if (kind is not { } known || WebhookJson.Address(data.Text("recipient")) is not { } recipient) return WebhookReading.Accepted([]);
        var status = data.Child("delivery-status");
        var diagnostic = WebhookJson.Diagnostic(status.Text("code"), status.Text("description") is { Length: > 0 } d ? d : status.Text("message"), data.Text("reason"));
        var messageId = WebhookJson.MessageId(data.Child("message").Child("headers").Text("message-id"));
        var id = data.Text("id") ?? WebhookJson.Hash(body);
        return WebhookReading.Accepted([new FeedbackEvent($"{Source}:{id}:{recipient}", known, Source, WebhookJson.Time(data.Text("timestamp")) ?? now,
            new FeedbackTarget(MessageId: messageId, Address: recipient), diagnostic)]);
    }
}

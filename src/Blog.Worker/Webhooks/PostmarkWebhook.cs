using System.Text;
using System.Text.Json;
using Blog.Feedback;

namespace Blog.Webhooks;

/// <summary>
/// <c>/webhooks/postmark</c>: Postmark's Bounce, SpamComplaint and SubscriptionChange webhooks, authenticated by the
/// basic-auth credentials the owner put in the webhook's URL (<c>Webhooks:Postmark</c>).
/// </summary>
internal sealed class PostmarkWebhook(IOptions<WebhooksOptions> options, TimeProvider time) : IWebhookReader
{
    public const string Source = "postmark";

    private const string Challenge = "Basic realm=\"webhooks\", charset=\"UTF-8\"";

    public string Name => Source;

    public bool Configured => options.Value.Postmark.User.Length > 0 && options.Value.Postmark.Password.Length > 0;

    public ValueTask<WebhookReading> ReadAsync(WebhookRequest request, CancellationToken cancellationToken)
    {
        if (!Authorized(request.Headers.Authorization.ToString()))
            return ValueTask.FromResult(WebhookReading.Unauthorized("the basic-auth credentials are missing or wrong", Challenge));
        using var document = WebhookJson.TryParse(request.Body, out var error);
        if (document is null) return ValueTask.FromResult(WebhookReading.Invalid($"Postmark webhook: {error}."));
        return ValueTask.FromResult(Map(document.RootElement, request.Body.Span, time.GetUtcNow()));
    }

    private bool Authorized(string header)
    {
        const string scheme = "Basic ";
        if (header.Length > 1024 || !header.StartsWith(scheme, StringComparison.OrdinalIgnoreCase)) return false;
        var encoded = header[scheme.Length..].Trim();
        var bytes = new byte[encoded.Length];
        if (!Convert.TryFromBase64String(encoded, bytes, out var length)) return false;
        var pair = Encoding.UTF8.GetString(bytes, 0, length);
        var colon = pair.IndexOf(':', StringComparison.Ordinal);
        if (colon < 0) return false;
        var expected = options.Value.Postmark;
        // Both compared whatever the first gave, so the time taken does not say which was wrong.
        return SecretComparison.Same(pair.AsSpan(0, colon), expected.User) & SecretComparison.Same(pair.AsSpan(colon + 1), expected.Password);
    }

    /// <summary>One webhook's record: a bounce, a spam complaint or a manual suppression (an unsubscribe) is an event; anything else is taken and ignored.</summary>
    internal static WebhookReading Map(JsonElement record, ReadOnlySpan<byte> body, DateTimeOffset now)
    {
        if (record.ValueKind != JsonValueKind.Object) return WebhookReading.Invalid("Postmark webhook: the body is not a JSON object.");
        var recordType = record.Text("RecordType");
        FeedbackKind? kind;
        string? address;
        DateTimeOffset? at;
        string id;
        switch (recordType)
        {
            case "Bounce":
                kind = BounceKind(record.Text("Type"));
                address = record.Text("Email");
                at = WebhookJson.Time(record.Text("BouncedAt"));
                id = record.Text("ID") ?? WebhookJson.Hash(body);
                break;
            case "SpamComplaint":
                kind = FeedbackKind.Complaint;
                address = record.Text("Email");
                at = WebhookJson.Time(record.Text("BouncedAt"));
                id = record.Text("ID") ?? WebhookJson.Hash(body);
                break;
            case "SubscriptionChange":
                // Postmark suppresses on hard bounces and complaints too, and reports those above: only the recipient's
                // own unsubscribe (ManualSuppression) is new here. A reactivation is the owner's business, not ours.
                kind = record.Text("SuppressSending") == "true" && record.Text("SuppressionReason") == "ManualSuppression" ? FeedbackKind.Unsubscribe : null;
                address = record.Text("Recipient");
                at = WebhookJson.Time(record.Text("ChangedAt"));
                id = $"change:{record.Text("MessageID")}:{record.Text("ChangedAt")}";
                break;
            case null:
                return WebhookReading.Invalid("Postmark webhook: RecordType is missing.");
            default:
                kind = null;
                address = null;
                at = null;
                id = "";
                break;
        }
        if (kind is not { } known || WebhookJson.Address(address) is not { } recipient) return WebhookReading.Accepted([]);
        var metadata = record.Child("Metadata");
        var messageId = WebhookJson.MessageId(metadata.Text("Message-ID") ?? metadata.Text("message-id") ?? metadata.Text("message_id"));
        var diagnostic = WebhookJson.Diagnostic(record.Text("Type"), record.Text("Description"), record.Text("Details"), record.Text("SuppressionReason"));
        return WebhookReading.Accepted([new FeedbackEvent($"{Source}:{id}:{recipient}", known, Source, at ?? now,
            new FeedbackTarget(MessageId: messageId, Address: recipient), diagnostic)]);
    }

    /// <summary>
    /// Postmark's bounce types: the permanent ones hard, the ones that may pass soft, a complaint or an unsubscribe as
    /// such; auto-responders, challenges and the like are not about delivery and are ignored.
    /// SpamNotification (TypeCode 512) is the receiving server's spam filter turning the message away, not the person
    /// complaining: a soft bounce, which suspends only if it keeps happening. ManuallyDeactivated is Postmark's own
    /// account holder deactivating the address in Postmark, which says nothing new about the address: ignored.
    /// </summary>
    private static FeedbackKind? BounceKind(string? type) => type switch
    {
        "HardBounce" or "BadEmailAddress" => FeedbackKind.HardBounce,
        "SoftBounce" or "Transient" or "DnsError" or "InboxFull" or "Blocked" or "DMARCPolicy" or "SpamNotification" => FeedbackKind.SoftBounce,
        "SpamComplaint" => FeedbackKind.Complaint,
        "Unsubscribe" => FeedbackKind.Unsubscribe,
        _ => null,
    };
}

using System.Text.Json;
using Blog.Feedback;

namespace Blog.Webhooks;

/// <summary>
/// <c>/webhooks/events</c>: a report from anything that is not a known provider, authenticated with the bearer
/// secret in <c>Webhooks:Events:Secret</c>: <c>{"email" or "message_id", "type", "reason", "id"}</c>.
/// </summary>
internal sealed class EventsWebhook(IOptions<WebhooksOptions> options, TimeProvider time) : IWebhookReader
{
    public const string Source = "events";

    private const string Challenge = "Bearer realm=\"webhooks\"";

    public string Name => Source;

    public bool Configured => options.Value.Events.Secret.Length > 0;

    public ValueTask<WebhookReading> ReadAsync(WebhookRequest request, CancellationToken cancellationToken)
    {
        var header = request.Headers.Authorization.ToString();
        const string scheme = "Bearer ";
        if (header.Length > 1024 || !header.StartsWith(scheme, StringComparison.OrdinalIgnoreCase)
            || !SecretComparison.Same(header.AsSpan(scheme.Length).Trim(), options.Value.Events.Secret))
            return ValueTask.FromResult(WebhookReading.Unauthorized("the bearer secret is missing or wrong", Challenge));
        using var document = WebhookJson.TryParse(request.Body, out var error);
        if (document is null) return ValueTask.FromResult(WebhookReading.Invalid($"event: {error}."));
        return ValueTask.FromResult(Map(document.RootElement, request.Body.Span, time.GetUtcNow()));
    }

    internal static WebhookReading Map(JsonElement report, ReadOnlySpan<byte> body, DateTimeOffset now)
    {
        if (report.ValueKind != JsonValueKind.Object) return WebhookReading.Invalid("event: the body is not a JSON object.");
        var type = report.Text("type");
        FeedbackKind? kind = type switch
        {
            "hard_bounce" => FeedbackKind.HardBounce,
            "soft_bounce" => FeedbackKind.SoftBounce,
            "complaint" => FeedbackKind.Complaint,
            "unsubscribe" => FeedbackKind.Unsubscribe,
            _ => null,
        };
        if (kind is not { } known)
            return WebhookReading.Invalid($"event: field \"type\" is {Quote(type)}, not one of hard_bounce, soft_bounce, complaint, unsubscribe.");
        var email = report.Text("email");
        var address = WebhookJson.Address(email);
        if (email is not null && address is null) return WebhookReading.Invalid($"event: field \"email\" is {Quote(email)}, not an email address.");
        var messageId = WebhookJson.MessageId(report.Text("message_id"));
        if (address is null && messageId is null) return WebhookReading.Invalid("event: one of the fields \"email\" and \"message_id\" is needed.");
        var id = report.Text("id") is { Length: > 0 and <= 200 } given ? given : WebhookJson.Hash(body);
        return WebhookReading.Accepted([new FeedbackEvent($"{Source}:{id}:{address ?? messageId}", known, Source, now,
            new FeedbackTarget(MessageId: messageId, Address: address), WebhookJson.Diagnostic(report.Text("reason")))]);
    }

    private static string Quote(string? value) => value is null ? "missing" : $"\"{(value.Length > 100 ? value[..100] + "…" : value)}\"";
}

using System.Text.Json;
using Blog.Feedback;

namespace Blog.Webhooks;

/// <summary>
/// <c>/webhooks/ses</c>: Amazon SES's bounce and complaint events, delivered by SNS. Only the topics in
/// <c>Webhooks:Ses:TopicArns</c> are taken, and only their subscriptions confirmed; every message's signature is
/// checked against its certificate (<see cref="SnsSignature"/>), fetched only from the topic's own SNS host.
/// </summary>
internal sealed partial class SesWebhook(SnsFetcher fetcher, IOptions<WebhooksOptions> options, TimeProvider time, ILogger<SesWebhook> logger) : IWebhookReader
{
    public const string Source = "ses";

    public string Name => Source;

    public bool Configured => options.Value.Ses.TopicArns.Count > 0;

    public async ValueTask<WebhookReading> ReadAsync(WebhookRequest request, CancellationToken cancellationToken)
    {
        using var document = WebhookJson.TryParse(request.Body, out var error);
        if (document is null) return WebhookReading.Invalid($"SNS message: {error}.");
        var message = document.RootElement;
        if (message.ValueKind != JsonValueKind.Object) return WebhookReading.Invalid("SNS message: the body is not a JSON object.");

        // The topic first, before anything is fetched: a request about a topic the owner did not configure, signed or
        // not, must not make us fetch anything.
        var topic = message.Text("TopicArn") ?? "";
        if (!options.Value.Ses.TopicArns.Contains(topic, StringComparer.Ordinal))
        {
            if (message.Text("Type") == "SubscriptionConfirmation") Log.SubscriptionRefused(logger, WebhookJson.Printable(topic));
            return WebhookReading.Forbidden($"topic \"{WebhookJson.Printable(topic)}\" is not in Webhooks:Ses:TopicArns");
        }
        // Then the certificate's URL: only on the topic's own SNS host, at the path SNS serves certificates at.
        var certificateUrl = message.Text("SigningCertURL");
        if (!SnsSignature.TryPinCertificate(certificateUrl, topic, out var certificateUri))
            return WebhookReading.Unauthorized($"SigningCertURL \"{WebhookJson.Printable(certificateUrl)}\" is not https://{SnsSignature.Host(topic)}/SimpleNotificationService-<hex>.pem");
        var canonical = SnsSignature.Canonical(message);
        if (canonical is null) return WebhookReading.Unauthorized($"not a signed SNS message of a known Type (\"{WebhookJson.Printable(message.Text("Type"))}\"), or a signed field is missing");
        var version = message.Text("SignatureVersion");
        if (version is not ("1" or "2")) return WebhookReading.Unauthorized($"SignatureVersion \"{WebhookJson.Printable(version)}\" is not 1 or 2");
        if (version != "2" && options.Value.Ses.RequireSignatureVersion2)
            return WebhookReading.Unauthorized($"SignatureVersion is {version}, and Webhooks:Ses:RequireSignatureVersion2 is set");
        var fetched = await fetcher.CertificateAsync(certificateUri, cancellationToken);
        if (fetched.Untrusted) return WebhookReading.Unauthorized($"the signing certificate {certificateUri} is not SNS's");
        if (fetched.Certificate is not { } certificate) return WebhookReading.Unavailable($"the signing certificate {certificateUri} could not be fetched");
        if (!SnsSignature.Verify(certificate, canonical, message.Text("Signature"), version))
            return WebhookReading.Unauthorized("the SNS signature does not verify");
        var sent = WebhookJson.Time(message.Text("Timestamp"));
        var now = time.GetUtcNow();
        if (sent is not { } at || (now - at).Duration() > options.Value.MaxAge)
            return WebhookReading.Unauthorized($"Timestamp \"{WebhookJson.Printable(message.Text("Timestamp"))}\" is more than Webhooks:MaxAge ({options.Value.MaxAge}) from now");

        switch (message.Text("Type"))
        {
            case "SubscriptionConfirmation":
                if (!SnsSignature.TryPinHost(message.Text("SubscribeURL"), topic, out var subscribe))
                    return WebhookReading.Invalid($"SNS message: SubscribeURL is not an https URL on {SnsSignature.Host(topic)}.");
                if (!await fetcher.ConfirmAsync(subscribe, cancellationToken))
                    return WebhookReading.Unavailable($"confirming the subscription to {topic} failed");
                Log.SubscriptionConfirmed(logger, topic);
                return WebhookReading.Accepted([]);
            case "UnsubscribeConfirmation":
                Log.Unsubscribed(logger, topic);
                return WebhookReading.Accepted([]);
            default:
                return Map(message.Text("MessageId") ?? "", message.Text("Message"), at);
        }
    }

    /// <summary>The SES event in a notification's Message: each bounced or complaining recipient is an event.</summary>
    internal static WebhookReading Map(string snsMessageId, string? message, DateTimeOffset sent)
    {
        if (message is null) return WebhookReading.Invalid("SNS message: Message is missing.");
        using var document = WebhookJson.TryParse(message, out var error);
        if (document is null) return WebhookReading.Invalid($"SES event in Message: {error}.");
        var root = document.RootElement;
        var mail = root.Child("mail");
        var messageId = WebhookJson.MessageId(mail.Child("commonHeaders").Text("messageId")
            ?? mail.Child("headers").Items().Where(h => string.Equals(h.Text("name"), "Message-ID", StringComparison.OrdinalIgnoreCase)).Select(h => h.Text("value")).FirstOrDefault());
        var events = new List<FeedbackEvent>();
        switch (root.Text("notificationType") ?? root.Text("eventType"))
        {
            case "Bounce":
                var bounce = root.Child("bounce");
                var bounceType = bounce.Text("bounceType");
                // Undetermined: SES could not tell; a soft bounce costs the subscriber less if it was not their fault.
                var kind = bounceType == "Permanent" ? FeedbackKind.HardBounce : FeedbackKind.SoftBounce;
                var at = WebhookJson.Time(bounce.Text("timestamp")) ?? sent;
                var id = bounce.Text("feedbackId") ?? snsMessageId;
                foreach (var recipient in bounce.Child("bouncedRecipients").Items())
                {
                    if (WebhookJson.Address(recipient.Text("emailAddress")) is not { } address) continue;
                    events.Add(new FeedbackEvent($"{Source}:{id}:{address}", kind, Source, at, new FeedbackTarget(MessageId: messageId, Address: address),
                        WebhookJson.Diagnostic(recipient.Text("diagnosticCode") ?? recipient.Text("status") ?? $"{bounceType} {bounce.Text("bounceSubType")}")));
                }
                break;
            case "Complaint":
                var complaint = root.Child("complaint");
                var feedback = complaint.Text("complaintFeedbackType");
                // A recipient's "not spam" is reported the same way, and is the opposite of a complaint.
                if (feedback == "not-spam") break;
                var complained = WebhookJson.Time(complaint.Text("timestamp")) ?? sent;
                var complaintId = complaint.Text("feedbackId") ?? snsMessageId;
                foreach (var recipient in complaint.Child("complainedRecipients").Items())
                {
                    if (WebhookJson.Address(recipient.Text("emailAddress")) is not { } address) continue;
                    events.Add(new FeedbackEvent($"{Source}:{complaintId}:{address}", FeedbackKind.Complaint, Source, complained,
                        new FeedbackTarget(MessageId: messageId, Address: address), WebhookJson.Diagnostic("complaint", feedback)));
                }
                break;
        }
        // Deliveries, sends, opens and the like are taken and ignored, so SNS does not retry them.
        return WebhookReading.Accepted(events);
    }

    private static partial class Log
    {
        [LoggerMessage(LogEvents.SesWebhook.SubscriptionConfirmed, LogLevel.Information, "Confirmed the SNS subscription to {Topic}")]
        public static partial void SubscriptionConfirmed(ILogger logger, string topic);

        [LoggerMessage(LogEvents.SesWebhook.SubscriptionRefused, LogLevel.Warning,
            "Refused to confirm an SNS subscription to {Topic} (its signature not checked): it is not in Webhooks:Ses:TopicArns")]
        public static partial void SubscriptionRefused(ILogger logger, string topic);

        [LoggerMessage(LogEvents.SesWebhook.Unsubscribed, LogLevel.Warning, "SNS says the subscription to {Topic} was removed")]
        public static partial void Unsubscribed(ILogger logger, string topic);
    }
}

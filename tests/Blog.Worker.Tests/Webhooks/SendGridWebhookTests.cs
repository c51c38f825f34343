using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Blog.Feedback;
using Blog.Webhooks;
using Microsoft.AspNetCore.Http;

namespace Blog.Tests.Webhooks;

public sealed class SendGridWebhookTests : IDisposable
{
    private readonly ECDsa key = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    public void Dispose() => key.Dispose();

    /// <summary>The verification key as SendGrid shows it: base64 of the DER public key.</summary>
    public static string PublicKey(ECDsa key) => Convert.ToBase64String(key.ExportSubjectPublicKeyInfo());

    /// <summary>The two headers of a Signed Event Webhook: ECDSA P-256 over timestamp + body, base64 DER.</summary>
    public static (string Name, string Value)[] Sign(ECDsa key, string body, DateTimeOffset? at = null)
    {
        var timestamp = (at ?? DateTimeOffset.UtcNow).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var signature = key.SignData(Encoding.UTF8.GetBytes(timestamp + body), HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);
        return [(SendGridWebhook.SignatureHeader, Convert.ToBase64String(signature)), (SendGridWebhook.TimestampHeader, timestamp)];
    }

    private SendGridWebhook Reader(string? publicKey = null) =>
        new(WebhookTestParts.Options(o => o.SendGrid.PublicKey = publicKey ?? PublicKey(key)), TimeProvider.System);

    private const string Events = """
        [
          {"email":"a@example.com","timestamp":1764486000,"event":"bounce","type":"bounce","status":"5.1.1","reason":"550 5.1.1 unknown","sg_event_id":"e1","smtp-id":"<run.1@blog.example.com>"},
          {"email":"b@example.com","timestamp":1764486000,"event":"bounce","type":"blocked","reason":"421 try later","sg_event_id":"e2"},
          {"email":"c@example.com","timestamp":1764486000,"event":"deferred","reason":"451 greylisted","sg_event_id":"e3"},
          {"email":"d@example.com","timestamp":1764486000,"event":"spamreport","sg_event_id":"e4"},
          {"email":"e@example.com","timestamp":1764486000,"event":"unsubscribe","sg_event_id":"e5"},
          {"email":"f@example.com","timestamp":1764486000,"event":"group_unsubscribe","sg_event_id":"e6"},
          {"email":"g@example.com","timestamp":1764486000,"event":"dropped","reason":"Bounced Address","sg_event_id":"e7"},
          {"email":"h@example.com","timestamp":1764486000,"event":"delivered","sg_event_id":"e8"}
        ]
        """;

    [Fact]
    public async Task A_signed_batch_maps_each_event()
    {
        var reading = await Reader().ReadAsync(WebhookTestParts.Request(Events, Sign(key, Events)), CancellationToken.None);

        Assert.Equal(StatusCodes.Status200OK, reading.Status);
        Assert.Equal([
            ("sendgrid:e1:a@example.com", FeedbackKind.HardBounce),
            ("sendgrid:e2:b@example.com", FeedbackKind.SoftBounce),
            ("sendgrid:e4:d@example.com", FeedbackKind.Complaint),
            ("sendgrid:e5:e@example.com", FeedbackKind.Unsubscribe),
            ("sendgrid:e6:f@example.com", FeedbackKind.Unsubscribe),
            ("sendgrid:e7:g@example.com", FeedbackKind.HardBounce),
        ], reading.Events.Select(e => (e.Key, e.Kind)));
        Assert.Equal("run.1@blog.example.com", reading.Events[0].Target.MessageId);
    }

    [Fact]
    public async Task A_body_changed_after_signing_is_unauthorized()
    {
        var headers = Sign(key, Events);
        var reading = await Reader().ReadAsync(WebhookTestParts.Request(Events.Replace("a@example.com", "victim@example.com", StringComparison.Ordinal), headers), CancellationToken.None);
        Assert.Equal(StatusCodes.Status401Unauthorized, reading.Status);
    }

    [Fact]
    public async Task A_signature_by_another_key_or_none_is_unauthorized()
    {
        using var other = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        Assert.Equal(StatusCodes.Status401Unauthorized, (await Reader().ReadAsync(WebhookTestParts.Request(Events, Sign(other, Events)), CancellationToken.None)).Status);
        Assert.Equal(StatusCodes.Status401Unauthorized, (await Reader().ReadAsync(WebhookTestParts.Request(Events), CancellationToken.None)).Status);
    }

    [Fact]
    public async Task A_timestamp_older_than_SendGrids_retry_horizon_is_unauthorized()
    {
        var reading = await Reader().ReadAsync(WebhookTestParts.Request(Events, Sign(key, Events, DateTimeOffset.UtcNow.AddHours(-26))), CancellationToken.None);
        Assert.Equal(StatusCodes.Status401Unauthorized, reading.Status);
    }

    [Fact]
    public async Task A_retry_signed_a_day_ago_is_taken_since_SendGrid_retries_for_24_hours()
    {
        var reading = await Reader().ReadAsync(WebhookTestParts.Request(Events, Sign(key, Events, DateTimeOffset.UtcNow.AddHours(-24))), CancellationToken.None);
        Assert.Equal(StatusCodes.Status200OK, reading.Status);
    }

    [Fact]
    public async Task The_key_may_be_given_as_PEM_and_a_signed_body_that_is_not_an_array_is_a_bad_request()
    {
        const string body = """{"email":"a@example.com"}""";
        var reading = await Reader(key.ExportSubjectPublicKeyInfoPem()).ReadAsync(WebhookTestParts.Request(body, Sign(key, body)), CancellationToken.None);
        Assert.Equal(StatusCodes.Status400BadRequest, reading.Status);
    }
}

using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Blog.Feedback;
using Blog.Webhooks;
using Microsoft.AspNetCore.Http;

namespace Blog.Tests.Webhooks;

public sealed class MailgunWebhookTests
{
    /// <summary>An event webhook as Mailgun documents it, signed with <paramref name="key"/>: HMAC-SHA256 of timestamp + token, hex.</summary>
    public static string Event(string eventName, string recipient, string id, string? severity = null, string key = WebhookTestParts.MailgunKey,
        DateTimeOffset? at = null, string? token = null, string reason = "bounce")
    {
        var timestamp = (at ?? DateTimeOffset.UtcNow).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        token ??= Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(25));
        var signature = Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(key), Encoding.UTF8.GetBytes(timestamp + token)));
        var data = new JsonObject
        {
            ["event"] = eventName,
            ["id"] = id,
            ["timestamp"] = 1764486000.123,
            ["recipient"] = recipient,
            ["reason"] = reason,
            ["delivery-status"] = new JsonObject { ["code"] = 550, ["description"] = "No such mailbox", ["message"] = "" },
            ["message"] = new JsonObject { ["headers"] = new JsonObject { ["message-id"] = "run.1@blog.example.com" } },
        };
        if (severity is not null) data["severity"] = severity;
        return new JsonObject
        {
            ["signature"] = new JsonObject { ["timestamp"] = timestamp, ["token"] = token, ["signature"] = signature },
            ["event-data"] = data,
        }.ToJsonString();
    }

    private static MailgunWebhook Reader() => new(WebhookTestParts.Options(), TimeProvider.System);

    [Theory]
    [InlineData("failed", "permanent", FeedbackKind.HardBounce)]
    [InlineData("complained", null, FeedbackKind.Complaint)]
    [InlineData("unsubscribed", null, FeedbackKind.Unsubscribe)]
    public async Task A_signed_event_maps_to_its_kind(string eventName, string? severity, FeedbackKind kind)
    {
        var reading = await Reader().ReadAsync(WebhookTestParts.Request(Event(eventName, "a@example.com", "ev-1", severity)), CancellationToken.None);

        Assert.Equal(StatusCodes.Status200OK, reading.Status);
        var e = Assert.Single(reading.Events);
        Assert.Equal((kind, "mailgun", "mailgun:ev-1:a@example.com", "run.1@blog.example.com", "a@example.com"),
            (e.Kind, e.Source, e.Key, e.Target.MessageId, e.Target.Address));
        Assert.StartsWith("mailgun-token:", reading.ReplayKey, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_temporary_failure_is_ignored_since_Mailgun_retries_it_and_reports_it_again_if_it_gives_up()
    {
        var reading = await Reader().ReadAsync(WebhookTestParts.Request(Event("failed", "a@example.com", "ev-t", "temporary")), CancellationToken.None);
        Assert.Equal((StatusCodes.Status200OK, 0), (reading.Status, reading.Events.Length));
    }

    [Theory]
    [InlineData("suppress-unsubscribe", FeedbackKind.Unsubscribe)]
    [InlineData("suppress-complaint", FeedbackKind.Complaint)]
    [InlineData("suppress-bounce", FeedbackKind.HardBounce)]
    [InlineData("generic", FeedbackKind.HardBounce)]
    public async Task A_permanent_failure_for_a_suppressed_address_maps_to_why_it_was_suppressed(string reason, FeedbackKind kind)
    {
        var reading = await Reader().ReadAsync(WebhookTestParts.Request(Event("failed", "a@example.com", "ev-s", "permanent", reason: reason)), CancellationToken.None);
        Assert.Equal(kind, Assert.Single(reading.Events).Kind);
    }

    [Fact]
    public async Task A_signature_made_with_another_key_is_unauthorized()
    {
        var reading = await Reader().ReadAsync(WebhookTestParts.Request(Event("failed", "a@example.com", "ev-2", "permanent", key: "key-not-the-one-configured-000")), CancellationToken.None);
        Assert.Equal(StatusCodes.Status401Unauthorized, reading.Status);
        Assert.Empty(reading.Events);
    }

    [Fact]
    public async Task A_signature_moved_onto_another_event_is_caught_by_its_token()
    {
        // The signature covers the timestamp and token, not the event: the same token on any body is the same replay key.
        var first = await Reader().ReadAsync(WebhookTestParts.Request(Event("failed", "a@example.com", "ev-3", "permanent", token: "tok-1")), CancellationToken.None);
        var second = await Reader().ReadAsync(WebhookTestParts.Request(Event("complained", "b@example.com", "ev-4", token: "tok-1")), CancellationToken.None);
        Assert.Equal(first.ReplayKey, second.ReplayKey);
    }

    [Fact]
    public async Task A_timestamp_older_than_Mailguns_retry_horizon_is_unauthorized()
    {
        var reading = await Reader().ReadAsync(WebhookTestParts.Request(Event("failed", "a@example.com", "ev-5", "permanent", at: DateTimeOffset.UtcNow.AddHours(-26))), CancellationToken.None);
        Assert.Equal(StatusCodes.Status401Unauthorized, reading.Status);
    }

    [Fact]
    public async Task A_retry_signed_eight_hours_ago_is_taken_since_Mailgun_retries_for_8_hours()
    {
        var reading = await Reader().ReadAsync(WebhookTestParts.Request(Event("failed", "a@example.com", "ev-5b", "permanent", at: DateTimeOffset.UtcNow.AddHours(-8))), CancellationToken.None);
        Assert.Equal((StatusCodes.Status200OK, 1), (reading.Status, reading.Events.Length));
    }

    [Fact]
    public async Task Other_events_are_taken_and_ignored()
    {
        var reading = await Reader().ReadAsync(WebhookTestParts.Request(Event("delivered", "a@example.com", "ev-6")), CancellationToken.None);
        Assert.Equal((StatusCodes.Status200OK, 0), (reading.Status, reading.Events.Length));
    }
}

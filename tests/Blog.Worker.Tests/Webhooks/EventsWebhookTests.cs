using Blog.Feedback;
using Blog.Webhooks;
using Microsoft.AspNetCore.Http;

namespace Blog.Tests.Webhooks;

public sealed class EventsWebhookTests
{
    public static (string, string) Bearer(string secret = WebhookTestParts.EventsSecret) => ("Authorization", "Bearer " + secret);

    private static EventsWebhook Reader() => new(WebhookTestParts.Options(), TimeProvider.System);

    [Fact]
    public async Task A_report_by_address_or_by_message_id_maps_to_its_kind()
    {
        var byAddress = await Reader().ReadAsync(WebhookTestParts.Request("""{"email":"a@example.com","type":"hard_bounce","reason":"550 gone","id":"r1"}""", Bearer()), CancellationToken.None);
        var e = Assert.Single(byAddress.Events);
        Assert.Equal((FeedbackKind.HardBounce, "events", "events:r1:a@example.com", "a@example.com", "550 gone"), (e.Kind, e.Source, e.Key, e.Target.Address, e.Diagnostic));

        var byMessage = await Reader().ReadAsync(WebhookTestParts.Request("""{"message_id":"<run.1@blog.example.com>","type":"complaint"}""", Bearer()), CancellationToken.None);
        var m = Assert.Single(byMessage.Events);
        Assert.Equal((FeedbackKind.Complaint, "run.1@blog.example.com", (string?)null), (m.Kind, m.Target.MessageId, m.Target.Address));
    }

    [Fact]
    public async Task The_same_body_without_an_id_is_the_same_report()
    {
        const string body = """{"email":"a@example.com","type":"soft_bounce"}""";
        var first = await Reader().ReadAsync(WebhookTestParts.Request(body, Bearer()), CancellationToken.None);
        var second = await Reader().ReadAsync(WebhookTestParts.Request(body, Bearer()), CancellationToken.None);
        Assert.Equal(first.Events[0].Key, second.Events[0].Key);
    }

    [Theory]
    [InlineData("""{"email":"a@example.com","type":"bounced"}""", "field \"type\" is \"bounced\"")]
    [InlineData("""{"email":"not an address","type":"complaint"}""", "field \"email\" is \"not an address\"")]
    [InlineData("""{"type":"complaint"}""", "\"email\" and \"message_id\"")]
    [InlineData("""{"email":""", "line 1")]
    public async Task A_bad_report_is_a_bad_request_naming_the_field_and_value(string body, string expected)
    {
        var reading = await Reader().ReadAsync(WebhookTestParts.Request(body, Bearer()), CancellationToken.None);
        Assert.Equal(StatusCodes.Status400BadRequest, reading.Status);
        Assert.Contains(expected, reading.Problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Bearer wrong-secret-wrong-secret-wrong-secret-000")]
    [InlineData("Basic " + WebhookTestParts.EventsSecret)]
    [InlineData("")]
    public async Task A_wrong_or_missing_bearer_is_unauthorized(string authorization)
    {
        var reading = await Reader().ReadAsync(WebhookTestParts.Request("""{"email":"a@example.com","type":"complaint"}""", ("Authorization", authorization)), CancellationToken.None);
        Assert.Equal(StatusCodes.Status401Unauthorized, reading.Status);
    }
}

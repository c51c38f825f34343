using System.Text;
using Blog.Feedback;
using Blog.Webhooks;
using Microsoft.AspNetCore.Http;

namespace Blog.Tests.Webhooks;

public sealed class PostmarkWebhookTests
{
    public static (string, string) Basic(string user = WebhookTestParts.PostmarkUser, string password = WebhookTestParts.PostmarkPassword) =>
        ("Authorization", "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")));

    public static string Bounce(string type, string email, long id = 4323372036854775807) =>
        $$"""{"RecordType":"Bounce","ID":{{id}},"Type":"{{type}}","TypeCode":1,"MessageID":"883953f4-6105-42a2-a16a-77a8eac79483","Description":"The server was unable to deliver your message.","Details":"smtp;550 5.1.1 unknown","Email":"{{email}}","BouncedAt":"2026-11-30T07:00:00Z","MessageStream":"outbound"}""";

    private static PostmarkWebhook Reader() => new(WebhookTestParts.Options(), TimeProvider.System);

    [Theory]
    [InlineData("HardBounce", FeedbackKind.HardBounce)]
    [InlineData("BadEmailAddress", FeedbackKind.HardBounce)]
    [InlineData("SoftBounce", FeedbackKind.SoftBounce)]
    [InlineData("Transient", FeedbackKind.SoftBounce)]
    [InlineData("SpamComplaint", FeedbackKind.Complaint)]
    public async Task Bounce_types_map_to_their_kind(string type, FeedbackKind kind)
    {
        var reading = await Reader().ReadAsync(WebhookTestParts.Request(Bounce(type, "a@example.com"), Basic()), CancellationToken.None);
        var e = Assert.Single(reading.Events);
        Assert.Equal((kind, "postmark:4323372036854775807:a@example.com", "a@example.com"), (e.Kind, e.Key, e.Target.Address));
        Assert.Contains("550 5.1.1", e.Diagnostic, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_spam_notification_is_a_receiving_filter_refusing_the_mail_so_a_soft_bounce_not_a_complaint()
    {
        var reading = await Reader().ReadAsync(WebhookTestParts.Request(Bounce("SpamNotification", "a@example.com"), Basic()), CancellationToken.None);
        Assert.Equal(FeedbackKind.SoftBounce, Assert.Single(reading.Events).Kind);
    }

    [Fact]
    public async Task A_manual_deactivation_is_Postmarks_own_action_and_ignored()
    {
        var reading = await Reader().ReadAsync(WebhookTestParts.Request(Bounce("ManuallyDeactivated", "a@example.com"), Basic()), CancellationToken.None);
        Assert.Equal((StatusCodes.Status200OK, 0), (reading.Status, reading.Events.Length));
    }

    [Fact]
    public async Task An_auto_responder_is_no_bounce()
    {
        var reading = await Reader().ReadAsync(WebhookTestParts.Request(Bounce("AutoResponder", "a@example.com"), Basic()), CancellationToken.None);
        Assert.Equal((StatusCodes.Status200OK, 0), (reading.Status, reading.Events.Length));
    }

    [Fact]
    public async Task A_spam_complaint_and_a_manual_suppression_are_a_complaint_and_an_unsubscribe()
    {
        const string complaint = """{"RecordType":"SpamComplaint","ID":42,"Type":"SpamComplaint","Email":"a@example.com","BouncedAt":"2026-11-30T07:00:00Z"}""";
        const string change = """{"RecordType":"SubscriptionChange","MessageID":"m-1","ChangedAt":"2026-11-30T07:00:00Z","Recipient":"b@example.com","Origin":"Recipient","SuppressSending":true,"SuppressionReason":"ManualSuppression"}""";
        const string bounced = """{"RecordType":"SubscriptionChange","MessageID":"m-2","ChangedAt":"2026-11-30T07:00:00Z","Recipient":"c@example.com","SuppressSending":true,"SuppressionReason":"HardBounce"}""";

        Assert.Equal(FeedbackKind.Complaint, Assert.Single((await Reader().ReadAsync(WebhookTestParts.Request(complaint, Basic()), CancellationToken.None)).Events).Kind);
        Assert.Equal(FeedbackKind.Unsubscribe, Assert.Single((await Reader().ReadAsync(WebhookTestParts.Request(change, Basic()), CancellationToken.None)).Events).Kind);
        // Postmark's own suppression after a bounce is reported by the bounce webhook: counted once, there.
        Assert.Empty((await Reader().ReadAsync(WebhookTestParts.Request(bounced, Basic()), CancellationToken.None)).Events);
    }

    [Theory]
    [InlineData(WebhookTestParts.PostmarkUser, "wrong-password-wrong-password")]
    [InlineData("someone", WebhookTestParts.PostmarkPassword)]
    [InlineData("", "")]
    public async Task Wrong_credentials_are_unauthorized_with_a_challenge(string user, string password)
    {
        var reading = await Reader().ReadAsync(WebhookTestParts.Request(Bounce("HardBounce", "a@example.com"), Basic(user, password)), CancellationToken.None);
        Assert.Equal(StatusCodes.Status401Unauthorized, reading.Status);
        Assert.StartsWith("Basic", reading.Challenge, StringComparison.Ordinal);
        Assert.Empty(reading.Events);
    }
}

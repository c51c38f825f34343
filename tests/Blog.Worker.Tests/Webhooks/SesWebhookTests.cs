using System.Text.Json.Nodes;
using Blog.Feedback;
using Blog.Webhooks;
using Microsoft.AspNetCore.Http;

namespace Blog.Tests.Webhooks;

public sealed class SesWebhookTests : IDisposable
{
    private readonly SnsTestTopic sns = new();

    public void Dispose() => sns.Dispose();

    [Theory]
    [InlineData("1")]
    [InlineData("2")]
    public async Task A_signed_permanent_bounce_is_a_hard_bounce_for_each_recipient_with_its_diagnostic(string version)
    {
        var body = sns.Notification(SnsTestTopic.Bounce("Permanent", "fb-1", "run.1@blog.example.com", "a@example.com", "\"B\" <b@example.com>"), version: version);

        var reading = await WebhookTestParts.Ses(sns).ReadAsync(WebhookTestParts.Request(body), CancellationToken.None);

        Assert.Equal(StatusCodes.Status200OK, reading.Status);
        Assert.Equal(["ses:fb-1:a@example.com", "ses:fb-1:b@example.com"], reading.Events.Select(e => e.Key));
        Assert.All(reading.Events, e =>
        {
            Assert.Equal(FeedbackKind.HardBounce, e.Kind);
            Assert.Equal("ses", e.Source);
            Assert.Equal("run.1@blog.example.com", e.Target.MessageId);
            Assert.Equal("smtp; 550 5.1.1 user unknown", e.Diagnostic);
        });
        Assert.Equal("b@example.com", reading.Events[1].Target.Address);
    }

    [Theory]
    [InlineData("1", StatusCodes.Status401Unauthorized)]
    [InlineData("2", StatusCodes.Status200OK)]
    public async Task RequireSignatureVersion2_refuses_SHA1_signed_messages(string version, int status)
    {
        var body = sns.Notification(SnsTestTopic.Bounce("Permanent", "fb-v" + version, "m@x", "a@example.com"), version: version);

        var reading = await WebhookTestParts.Ses(sns, WebhookTestParts.Options(o => o.Ses.RequireSignatureVersion2 = true)).ReadAsync(WebhookTestParts.Request(body), CancellationToken.None);

        Assert.Equal(status, reading.Status);
    }

    [Fact]
    public async Task A_message_changed_after_signing_is_unauthorized()
    {
        var body = JsonNode.Parse(sns.Notification(SnsTestTopic.Bounce("Permanent", "fb-2", "m@x", "a@example.com")))!;
        body["Message"] = SnsTestTopic.Bounce("Permanent", "fb-2", "m@x", "victim@example.com");

        var reading = await WebhookTestParts.Ses(sns).ReadAsync(WebhookTestParts.Request(body.ToJsonString()), CancellationToken.None);

        Assert.Equal(StatusCodes.Status401Unauthorized, reading.Status);
        Assert.Empty(reading.Events);
    }

    [Theory]
    [InlineData("http://sns.eu-west-1.amazonaws.com/SimpleNotificationService-test.pem")]
    [InlineData("https://sns.eu-west-1.amazonaws.com.evil.example/SimpleNotificationService-test.pem")]
    [InlineData("https://evil.example/sns.eu-west-1.amazonaws.com/SimpleNotificationService-test.pem")]
    [InlineData("https://sqs.eu-west-1.amazonaws.com/SimpleNotificationService-test.pem")]
    [InlineData("https://sns.eu-west-1.amazonaws.com/SimpleNotificationService-test.txt")]
    [InlineData("https://sns.eu-west-1.amazonaws.com:8443/SimpleNotificationService-test.pem")]
    [InlineData("https://user@sns.eu-west-1.amazonaws.com/SimpleNotificationService-test.pem")]
    [InlineData("https://sns.eu-west-1.amazonaws.com/x.pem?redirect=https://evil.example/")]
    // S3 buckets named "sns" answer on hosts that look like SNS's.
    [InlineData("https://sns.s3.amazonaws.com/SimpleNotificationService-0123456789abcdef.pem")]
    [InlineData("https://sns.s3-us-west-2.amazonaws.com/SimpleNotificationService-0123456789abcdef.pem")]
    [InlineData("https://sns.s3-accelerate.amazonaws.com/SimpleNotificationService-0123456789abcdef.pem")]
    // Another region than the topic's.
    [InlineData("https://sns.us-east-1.amazonaws.com/SimpleNotificationService-0123456789abcdef.pem")]
    [InlineData("https://sns.eu-west-1.amazonaws.com.cn/SimpleNotificationService-0123456789abcdef.pem")]
    // Not the path SNS serves its certificates at.
    [InlineData("https://sns.eu-west-1.amazonaws.com/SimpleNotificationService-test.pem")]
    [InlineData("https://sns.eu-west-1.amazonaws.com/bucket/SimpleNotificationService-0123.pem")]
    public async Task A_certificate_url_off_the_SNS_hosts_is_unauthorized_and_never_fetched(string url)
    {
        var body = sns.Notification(SnsTestTopic.Bounce("Permanent", "fb-3", "m@x", "a@example.com"), certificateUrl: url);

        var reading = await WebhookTestParts.Ses(sns).ReadAsync(WebhookTestParts.Request(body), CancellationToken.None);

        Assert.Equal(StatusCodes.Status401Unauthorized, reading.Status);
        Assert.Empty(sns.Requests);
    }

    [Theory]
    [InlineData("https://sns.us-east-1.amazonaws.com/SimpleNotificationService-1.pem", "arn:aws:sns:us-east-1:123456789012:t")]
    [InlineData("https://sns.cn-north-1.amazonaws.com.cn/SimpleNotificationService-1.pem", "arn:aws-cn:sns:cn-north-1:123456789012:t")]
    [InlineData("https://sns.us-gov-west-1.amazonaws.com/SimpleNotificationService-9f.pem", "arn:aws-us-gov:sns:us-gov-west-1:123456789012:t")]
    public void Certificates_on_the_topics_SNS_host_are_pinned(string url, string topic) => Assert.True(SnsSignature.TryPinCertificate(url, topic, out _));

    [Fact]
    public async Task A_subscription_to_a_topic_not_configured_is_refused_without_a_request()
    {
        var other = "arn:aws:sns:eu-west-1:999999999999:someone-else";
        var body = sns.SubscriptionConfirmation(other, "https://sns.eu-west-1.amazonaws.com/?Action=ConfirmSubscription&TopicArn=" + other);
        var reader = WebhookTestParts.Ses(sns);

        var reading = await reader.ReadAsync(WebhookTestParts.Request(body), CancellationToken.None);

        // Not even the certificate: an unauthenticated request about someone else's topic makes us fetch nothing.
        Assert.Equal(StatusCodes.Status403Forbidden, reading.Status);
        Assert.Empty(sns.Requests);
    }

    [Fact]
    public async Task A_certificate_that_does_not_chain_to_a_trusted_root_is_unauthorized_and_not_fetched_again_soon()
    {
        sns.Pem = sns.SelfSigned();
        var reader = WebhookTestParts.Ses(sns);

        var first = await reader.ReadAsync(WebhookTestParts.Request(sns.Notification(SnsTestTopic.Bounce("Permanent", "fb-u1", "m@x", "a@example.com"))), CancellationToken.None);
        var second = await reader.ReadAsync(WebhookTestParts.Request(sns.Notification(SnsTestTopic.Bounce("Permanent", "fb-u2", "m@x", "a@example.com"))), CancellationToken.None);

        Assert.Equal((StatusCodes.Status401Unauthorized, StatusCodes.Status401Unauthorized), (first.Status, second.Status));
        Assert.Equal(1, sns.Fetches(SnsTestTopic.CertificateUrl));
    }

    [Fact]
    public async Task A_trusted_certificate_for_another_name_than_SNS_is_unauthorized()
    {
        sns.Pem = sns.Issue("CN=evil.example");

        var reading = await WebhookTestParts.Ses(sns).ReadAsync(WebhookTestParts.Request(sns.Notification(SnsTestTopic.Bounce("Permanent", "fb-n1", "m@x", "a@example.com"))), CancellationToken.None);

        Assert.Equal(StatusCodes.Status401Unauthorized, reading.Status);
    }

    [Fact]
    public async Task A_certificate_that_could_not_be_fetched_is_503_and_not_fetched_again_at_once()
    {
        sns.CertificateStatus = System.Net.HttpStatusCode.InternalServerError;
        var reader = WebhookTestParts.Ses(sns);

        var first = await reader.ReadAsync(WebhookTestParts.Request(sns.Notification(SnsTestTopic.Bounce("Permanent", "fb-f1", "m@x", "a@example.com"))), CancellationToken.None);
        var second = await reader.ReadAsync(WebhookTestParts.Request(sns.Notification(SnsTestTopic.Bounce("Permanent", "fb-f2", "m@x", "a@example.com"))), CancellationToken.None);

        Assert.Equal((StatusCodes.Status503ServiceUnavailable, StatusCodes.Status503ServiceUnavailable), (first.Status, second.Status));
        Assert.Equal(1, sns.Fetches(SnsTestTopic.CertificateUrl));
    }

    [Fact]
    public async Task A_subscription_to_a_configured_topic_is_confirmed_by_visiting_its_SubscribeURL()
    {
        var subscribe = "https://sns.eu-west-1.amazonaws.com/?Action=ConfirmSubscription&TopicArn=" + SnsTestTopic.Topic + "&Token=abc";
        var body = sns.SubscriptionConfirmation(SnsTestTopic.Topic, subscribe);

        var reading = await WebhookTestParts.Ses(sns).ReadAsync(WebhookTestParts.Request(body), CancellationToken.None);

        Assert.Equal(StatusCodes.Status200OK, reading.Status);
        Assert.Equal(1, sns.Fetches(new Uri(subscribe).AbsoluteUri));
    }

    [Fact]
    public async Task An_unsubscribe_confirmation_is_taken_only_from_a_configured_topic()
    {
        var reader = WebhookTestParts.Ses(sns);
        var other = "arn:aws:sns:eu-west-1:999999999999:someone-else";
        var url = "https://sns.eu-west-1.amazonaws.com/?Action=ConfirmSubscription";

        var known = await reader.ReadAsync(WebhookTestParts.Request(sns.SubscriptionConfirmation(SnsTestTopic.Topic, url, "UnsubscribeConfirmation")), CancellationToken.None);
        var unknown = await reader.ReadAsync(WebhookTestParts.Request(sns.SubscriptionConfirmation(other, url, "UnsubscribeConfirmation")), CancellationToken.None);

        Assert.Equal((StatusCodes.Status200OK, StatusCodes.Status403Forbidden), (known.Status, unknown.Status));
        Assert.DoesNotContain(sns.Requests, u => u.Query.Length > 0);
    }

    [Fact]
    public async Task A_SubscribeURL_off_the_SNS_hosts_is_not_visited()
    {
        var body = sns.SubscriptionConfirmation(SnsTestTopic.Topic, "https://evil.example/?Action=ConfirmSubscription");

        var reading = await WebhookTestParts.Ses(sns).ReadAsync(WebhookTestParts.Request(body), CancellationToken.None);

        Assert.Equal(StatusCodes.Status400BadRequest, reading.Status);
        Assert.DoesNotContain(sns.Requests, u => u.Host == "evil.example");
    }

    [Fact]
    public async Task A_notification_from_a_topic_not_configured_records_nothing()
    {
        var body = sns.Notification(SnsTestTopic.Bounce("Permanent", "fb-4", "m@x", "a@example.com"), topic: "arn:aws:sns:eu-west-1:999999999999:other");

        var reading = await WebhookTestParts.Ses(sns).ReadAsync(WebhookTestParts.Request(body), CancellationToken.None);

        Assert.Equal(StatusCodes.Status403Forbidden, reading.Status);
        Assert.Empty(reading.Events);
        Assert.Empty(sns.Requests);
    }

    [Fact]
    public async Task An_old_message_is_unauthorized_however_well_signed()
    {
        var body = sns.Notification(SnsTestTopic.Bounce("Permanent", "fb-5", "m@x", "a@example.com"), at: DateTimeOffset.UtcNow.AddHours(-26));

        var reading = await WebhookTestParts.Ses(sns).ReadAsync(WebhookTestParts.Request(body), CancellationToken.None);

        Assert.Equal(StatusCodes.Status401Unauthorized, reading.Status);
    }

    [Fact]
    public async Task A_retry_of_a_message_signed_an_hour_ago_is_taken_since_SNS_retries_for_an_hour()
    {
        var body = sns.Notification(SnsTestTopic.Bounce("Permanent", "fb-5b", "m@x", "a@example.com"), at: DateTimeOffset.UtcNow.AddMinutes(-90));

        var reading = await WebhookTestParts.Ses(sns).ReadAsync(WebhookTestParts.Request(body), CancellationToken.None);

        Assert.Equal((StatusCodes.Status200OK, 1), (reading.Status, reading.Events.Length));
    }

    [Fact]
    public async Task The_signing_certificate_is_fetched_once_for_many_messages()
    {
        var reader = WebhookTestParts.Ses(sns);
        for (var i = 0; i < 3; i++)
        {
            var body = sns.Notification(SnsTestTopic.Bounce("Transient", $"fb-6-{i}", "m@x", "a@example.com"), subject: "Amazon SES Email Event Notification");
            Assert.Equal(StatusCodes.Status200OK, (await reader.ReadAsync(WebhookTestParts.Request(body), CancellationToken.None)).Status);
        }
        Assert.Equal(1, sns.Fetches(SnsTestTopic.CertificateUrl));
    }

    [Theory]
    [InlineData("Permanent", FeedbackKind.HardBounce)]
    [InlineData("Transient", FeedbackKind.SoftBounce)]
    [InlineData("Undetermined", FeedbackKind.SoftBounce)]
    public void Bounce_types_map_to_hard_and_soft(string bounceType, FeedbackKind kind)
    {
        var reading = SesWebhook.Map("sns-1", SnsTestTopic.Bounce(bounceType, "fb", "m@x", "a@example.com"), DateTimeOffset.UtcNow);
        Assert.Equal(kind, Assert.Single(reading.Events).Kind);
    }

    [Fact]
    public void A_complaint_is_a_complaint_per_recipient_and_not_spam_is_none()
    {
        var complaint = SesWebhook.Map("sns-1", SnsTestTopic.Complaint("fb-c", "abuse", "a@example.com"), DateTimeOffset.UtcNow);
        var e = Assert.Single(complaint.Events);
        Assert.Equal((FeedbackKind.Complaint, "ses:fb-c:a@example.com", "run.1@blog.example.com"), (e.Kind, e.Key, e.Target.MessageId));

        Assert.Empty(SesWebhook.Map("sns-2", SnsTestTopic.Complaint("fb-n", "not-spam", "a@example.com"), DateTimeOffset.UtcNow).Events);
    }

    [Fact]
    public void Deliveries_are_taken_and_ignored_and_a_Message_that_is_not_JSON_is_a_bad_request()
    {
        var delivery = SesWebhook.Map("sns-1", """{"notificationType":"Delivery","delivery":{"recipients":["a@example.com"]}}""", DateTimeOffset.UtcNow);
        Assert.Equal((StatusCodes.Status200OK, 0), (delivery.Status, delivery.Events.Length));
        Assert.Equal(StatusCodes.Status400BadRequest, SesWebhook.Map("sns-1", "not json", DateTimeOffset.UtcNow).Status);
    }
}

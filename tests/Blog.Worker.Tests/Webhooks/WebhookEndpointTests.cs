using System.Net;
using System.Text.Json.Nodes;
using Blog.Feedback;
using Blog.MailingList;
using Microsoft.Extensions.DependencyInjection;

namespace Blog.Tests.Webhooks;

/// <summary>The webhooks end to end: real HTTP into <c>blog run</c>, events recorded in its SQLite store.</summary>
public sealed class WebhookEndpointTests(WebhookSite site) : IClassFixture<WebhookSite>
{
    [Fact]
    public async Task A_signed_SES_bounce_bounces_the_subscriber_and_keeps_the_diagnostic()
    {
        await site.AddAsync("ses-hard@example.com", "ses-other@example.com");
        var body = site.Sns.Notification(SnsTestTopic.Bounce("Permanent", "fb-e2e-1", "not-ours@example.com", "ses-hard@example.com"));

        var (status, text) = await site.PostAsync("ses", body);

        Assert.Equal((HttpStatusCode.OK, "ok\n"), (status, text));
        Assert.Equal(SubscriberStatus.Bounced, (await site.FindAsync("ses-hard@example.com")).Status);
        var e = Assert.Single(await site.HistoryAsync("ses-hard@example.com"));
        Assert.Equal((FeedbackKind.HardBounce, "ses", "smtp; 550 5.1.1 user unknown"), (e.Kind, e.Source, e.Diagnostic));
        Assert.Equal(SubscriberStatus.Active, (await site.FindAsync("ses-other@example.com")).Status);
    }

    [Fact]
    public async Task A_bad_signature_gets_401_and_changes_nothing()
    {
        await site.AddAsync("forged@example.com");
        var body = JsonNode.Parse(site.Sns.Notification(SnsTestTopic.Bounce("Permanent", "fb-e2e-2", "m@x", "someone@example.com")))!;
        body["Message"] = SnsTestTopic.Bounce("Permanent", "fb-e2e-2", "m@x", "forged@example.com");

        var (status, _) = await site.PostAsync("ses", body.ToJsonString());

        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Equal(SubscriberStatus.Active, (await site.FindAsync("forged@example.com")).Status);
        Assert.Empty(await site.HistoryAsync("forged@example.com"));
    }

    [Fact]
    public async Task A_replayed_event_counts_once()
    {
        await site.AddAsync("replay@example.com");
        var body = MailgunWebhookTests.Event("failed", "replay@example.com", "ev-replay", "permanent");

        Assert.Equal(HttpStatusCode.OK, (await site.PostAsync("mailgun", body)).Status);
        Assert.Equal(HttpStatusCode.OK, (await site.PostAsync("mailgun", body)).Status);

        Assert.Single(await site.HistoryAsync("replay@example.com"));
    }

    [Fact]
    public async Task A_Mailgun_signature_reused_on_another_event_records_nothing()
    {
        await site.AddAsync("first@example.com", "victim@example.com");
        Assert.Equal(HttpStatusCode.OK, (await site.PostAsync("mailgun", MailgunWebhookTests.Event("failed", "first@example.com", "ev-t1", "permanent", token: "tok-e2e"))).Status);

        var (status, _) = await site.PostAsync("mailgun", MailgunWebhookTests.Event("complained", "victim@example.com", "ev-t2", token: "tok-e2e"));

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(SubscriberStatus.Active, (await site.FindAsync("victim@example.com")).Status);
        Assert.Empty(await site.HistoryAsync("victim@example.com"));
    }

    [Fact]
    public async Task Two_requests_racing_with_one_Mailgun_token_and_different_bodies_apply_one()
    {
        await site.AddAsync("race-a@example.com", "race-b@example.com");

        await Task.WhenAll(
            site.PostAsync("mailgun", MailgunWebhookTests.Event("failed", "race-a@example.com", "ev-r1", "permanent", token: "tok-race")),
            site.PostAsync("mailgun", MailgunWebhookTests.Event("failed", "race-b@example.com", "ev-r2", "permanent", token: "tok-race")));

        var bounced = (await site.FindAsync("race-a@example.com")).Status == SubscriberStatus.Bounced ? 1 : 0;
        bounced += (await site.FindAsync("race-b@example.com")).Status == SubscriberStatus.Bounced ? 1 : 0;
        Assert.Equal(1, bounced);
    }

    [Fact]
    public async Task Mailgun_tokens_older_than_twice_MaxAge_are_forgotten_and_other_keys_kept()
    {
        // A service of its own: pruning runs at the first token taken after start.
        using var folder = new TempFolder();
        using var sns = new SnsTestTopic();
        var app = await WebhookSite.StartAsync(folder, new CapturedLog(), sns, $"--Webhooks:Mailgun:SigningKey={WebhookTestParts.MailgunKey}");
        try
        {
            var store = app.Services.GetRequiredService<IFeedbackStore>();
            var old = DateTimeOffset.UtcNow.AddDays(-3);
            await store.MarkAsync("mailgun-token:ancient", "body:0", old, CancellationToken.None);
            await store.MarkAsync("mailgun-token:recent", "body:0", DateTimeOffset.UtcNow.AddHours(-1), CancellationToken.None);
            await store.MarkAsync("mailgun:ancient-report", "applied", old, CancellationToken.None);
            using var client = new HttpClient { BaseAddress = LoopbackPort.BoundUri(app) };

            using var response = await client.PostAsync("webhooks/mailgun", new StringContent(MailgunWebhookTests.Event("failed", "x@example.com", "ev-p", "permanent")));

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.False(await store.SeenAsync("mailgun-token:ancient", CancellationToken.None));
            Assert.True(await store.SeenAsync("mailgun-token:recent", CancellationToken.None));
            Assert.True(await store.SeenAsync("mailgun:ancient-report", CancellationToken.None));
        }
        finally
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_subscription_to_an_unknown_topic_is_not_confirmed()
    {
        var subscribe = "https://sns.eu-west-1.amazonaws.com/?Action=ConfirmSubscription&TopicArn=arn:aws:sns:eu-west-1:999999999999:unknown";

        var (status, _) = await site.PostAsync("ses", site.Sns.SubscriptionConfirmation("arn:aws:sns:eu-west-1:999999999999:unknown", subscribe));

        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.DoesNotContain(site.Sns.Requests, u => u.Query.Contains("unknown", StringComparison.Ordinal));
        Assert.Equal(1, site.Log.Count("Refused to confirm an SNS subscription to arn:aws:sns:eu-west-1:999999999999:unknown"));
    }

    [Fact]
    public async Task A_certificate_url_off_the_SNS_hosts_gets_401_with_no_fetch()
    {
        const string url = "https://evil.example/SimpleNotificationService.pem";
        var body = site.Sns.Notification(SnsTestTopic.Bounce("Permanent", "fb-e2e-3", "m@x", "a@example.com"), certificateUrl: url);

        Assert.Equal(HttpStatusCode.Unauthorized, (await site.PostAsync("ses", body)).Status);
        Assert.Equal(0, site.Sns.Fetches(url));
    }

    [Fact]
    public async Task A_body_over_the_limit_gets_413_whether_or_not_its_length_was_announced()
    {
        var large = new string('x', 1100 * 1024);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, (await site.PostAsync("events", large, EventsWebhookTests.Bearer())).Status);

        using var chunked = new HttpRequestMessage(HttpMethod.Post, "webhooks/events") { Content = new StreamContent(new MemoryStream(new byte[1100 * 1024])) };
        chunked.Headers.TransferEncodingChunked = true;
        chunked.Headers.TryAddWithoutValidation("Authorization", EventsWebhookTests.Bearer().Item2);
        using var response = await site.Client.SendAsync(chunked);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }

    [Fact]
    public async Task The_generic_endpoint_needs_its_bearer_secret()
    {
        await site.AddAsync("generic@example.com");
        const string body = """{"email":"generic@example.com","type":"complaint","reason":"abuse desk"}""";

        Assert.Equal(HttpStatusCode.Unauthorized, (await site.PostAsync("events", body, ("Authorization", "Bearer not-the-secret-not-the-secret-00000"))).Status);
        Assert.Equal(SubscriberStatus.Active, (await site.FindAsync("generic@example.com")).Status);

        Assert.Equal(HttpStatusCode.OK, (await site.PostAsync("events", body, EventsWebhookTests.Bearer())).Status);
        Assert.Equal(SubscriberStatus.Complained, (await site.FindAsync("generic@example.com")).Status);
    }

    [Fact]
    public async Task A_complaint_about_the_welcome_mail_unsubscribes_its_subscriber_for_good()
    {
        // The welcome's outbox row is gone once sent: its minted Message-ID names the subscriber on its own.
        await site.AddAsync("welcomed@example.com");
        var subscriber = await site.FindAsync("welcomed@example.com");
        var messageId = site.Service<Blog.Mail.MessageIdMint>().For("welcome", subscriber.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), "1764486000000");
        const string body = """{"message_id":"MID","type":"complaint","reason":"abuse","id":"welcome-complaint-1"}""";

        var (status, _) = await site.PostAsync("events", body.Replace("MID", messageId, StringComparison.Ordinal), EventsWebhookTests.Bearer());

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(SubscriberStatus.Complained, (await site.FindAsync("welcomed@example.com")).Status);
    }

    [Fact]
    public async Task Postmark_and_SendGrid_events_apply_to_their_subscribers()
    {
        await site.AddAsync("pm-complaint@example.com", "sg-unsub@example.com");
        const string complaint = """{"RecordType":"SpamComplaint","ID":7,"Type":"SpamComplaint","Email":"pm-complaint@example.com","BouncedAt":"2026-11-30T07:00:00Z"}""";
        const string events = """[{"email":"sg-unsub@example.com","timestamp":1764486000,"event":"unsubscribe","sg_event_id":"sg-e2e-1"}]""";

        Assert.Equal(HttpStatusCode.OK, (await site.PostAsync("postmark", complaint, PostmarkWebhookTests.Basic())).Status);
        Assert.Equal(HttpStatusCode.OK, (await site.PostAsync("sendgrid", events, SendGridWebhookTests.Sign(site.SendGridKey, events))).Status);

        Assert.Equal(SubscriberStatus.Complained, (await site.FindAsync("pm-complaint@example.com")).Status);
        Assert.Equal(SubscriberStatus.Unsubscribed, (await site.FindAsync("sg-unsub@example.com")).Status);
    }

    [Fact]
    public async Task A_SendGrid_batch_of_the_size_SendGrid_posts_is_taken()
    {
        // SendGrid batches events into posts of up to about 768 KB; one refused with 413 would be retried and refused again.
        await site.AddAsync("sg-large@example.com");
        var events = new System.Text.StringBuilder("[");
        for (var i = 0; events.Length < 800 * 1024; i++)
            events.Append($$"""{"email":"someone-{{i}}@example.com","timestamp":1764486000,"event":"delivered","sg_event_id":"sg-large-{{i}}"},""");
        events.Append("""{"email":"sg-large@example.com","timestamp":1764486000,"event":"spamreport","sg_event_id":"sg-large-last"}]""");
        var body = events.ToString();

        Assert.Equal(HttpStatusCode.OK, (await site.PostAsync("sendgrid", body, SendGridWebhookTests.Sign(site.SendGridKey, body))).Status);
        Assert.Equal(SubscriberStatus.Complained, (await site.FindAsync("sg-large@example.com")).Status);
    }

    [Fact]
    public async Task The_answer_is_the_same_for_an_address_on_the_list_and_one_that_is_not()
    {
        await site.AddAsync("listed@example.com");
        var listed = await site.PostAsync("events", """{"email":"listed@example.com","type":"soft_bounce","id":"same-1"}""", EventsWebhookTests.Bearer());
        var unknown = await site.PostAsync("events", """{"email":"nobody@example.com","type":"soft_bounce","id":"same-2"}""", EventsWebhookTests.Bearer());
        Assert.Equal(listed, unknown);
    }

    [Fact]
    public async Task An_unknown_provider_is_not_found()
    {
        Assert.Equal(HttpStatusCode.NotFound, (await site.PostAsync("nosuch", "{}")).Status);
    }
}

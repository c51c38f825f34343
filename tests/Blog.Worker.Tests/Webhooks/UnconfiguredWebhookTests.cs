using System.Net;

namespace Blog.Tests.Webhooks;

public sealed class UnconfiguredWebhookTests
{
    [Fact]
    public async Task A_provider_whose_settings_are_not_given_is_not_found()
    {
        using var folder = new TempFolder();
        using var sns = new SnsTestTopic();
        var app = await WebhookSite.StartAsync(folder, new CapturedLog(), sns);
        try
        {
            using var client = new HttpClient { BaseAddress = LoopbackPort.BoundUri(app) };
            foreach (var provider in new[] { "ses", "postmark", "mailgun", "sendgrid", "events" })
            {
                using var response = await client.PostAsync($"webhooks/{provider}", new StringContent(sns.Notification("{}")));
                Assert.True(response.StatusCode == HttpStatusCode.NotFound, $"{provider}: {response.StatusCode}");
            }
            Assert.Empty(sns.Requests);
        }
        finally
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }
}

using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Blog.Tests.Webhooks;

/// <summary>Limits that need a service of their own, with settings that would get in the way of the other tests.</summary>
public sealed class WebhookLimitsTests
{
    [Fact]
    public async Task Requests_past_the_per_client_limit_get_429_from_the_webhooks_own_answer()
    {
        using var folder = new TempFolder();
        using var sns = new SnsTestTopic();
        var app = await WebhookSite.StartAsync(folder, new CapturedLog(), sns,
            $"--Webhooks:Events:Secret={WebhookTestParts.EventsSecret}", "--Webhooks:RequestsPerMinute=2");
        try
        {
            using var client = new HttpClient { BaseAddress = LoopbackPort.BoundUri(app) };
            var codes = new List<HttpStatusCode>();
            string last = "";
            for (var i = 0; i < 3; i++)
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, "webhooks/events") { Content = new StringContent("""{"email":"a@example.com","type":"soft_bounce"}""") };
                request.Headers.TryAddWithoutValidation("Authorization", EventsWebhookTests.Bearer().Item2);
                using var response = await client.SendAsync(request);
                codes.Add(response.StatusCode);
                last = await response.Content.ReadAsStringAsync();
            }
            Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], codes);
            Assert.Equal("too many requests\n", last);
        }
        finally
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_body_that_does_not_arrive_in_time_gets_408()
    {
        using var folder = new TempFolder();
        using var sns = new SnsTestTopic();
        var app = await WebhookSite.StartAsync(folder, new CapturedLog(), sns,
            $"--Webhooks:Events:Secret={WebhookTestParts.EventsSecret}", "--Webhooks:BodyTimeout=00:00:00.500");
        try
        {
            var address = LoopbackPort.BoundUri(app);
            using var socket = new TcpClient();
            await socket.ConnectAsync(address.Host, address.Port);
            var stream = socket.GetStream();
            // Announces a body and sends only part of it; the answer is the signal, however long the server takes.
            await stream.WriteAsync(Encoding.ASCII.GetBytes(
                $"POST /webhooks/events HTTP/1.1\r\nHost: {address.Authority}\r\nAuthorization: Bearer {WebhookTestParts.EventsSecret}\r\nContent-Length: 100\r\n\r\n{{\"email\""));
            using var reader = new StreamReader(stream, Encoding.ASCII);
            var statusLine = await reader.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30));
            Assert.StartsWith("HTTP/1.1 408", statusLine, StringComparison.Ordinal);
        }
        finally
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }
}

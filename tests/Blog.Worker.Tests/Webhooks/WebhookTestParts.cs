using System.Text;
using Blog.Webhooks;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Blog.Tests.Webhooks;

/// <summary>The readers built as the service builds them, over settings a test gives, and requests to hand them.</summary>
public static class WebhookTestParts
{
    public const string PostmarkUser = "postmark";
    public const string PostmarkPassword = "a-long-postmark-password-0123456789";
    public const string MailgunKey = "key-3ax6xnjp29jd6fds4gc373sgvjxteol0";
    public const string EventsSecret = "an-events-secret-that-is-long-enough-0123456789";

    internal static IOptions<WebhooksOptions> Options(Action<WebhooksOptions>? change = null)
    {
        var options = new WebhooksOptions();
        options.Ses.TopicArns.Add(SnsTestTopic.Topic);
        options.Postmark.User = PostmarkUser;
        options.Postmark.Password = PostmarkPassword;
        options.Mailgun.SigningKey = MailgunKey;
        options.Events.Secret = EventsSecret;
        change?.Invoke(options);
        return Microsoft.Extensions.Options.Options.Create(options);
    }

    internal static SesWebhook Ses(SnsTestTopic sns, IOptions<WebhooksOptions>? options = null) =>
        new(Fetcher(sns), options ?? Options(), TimeProvider.System, NullLogger<SesWebhook>.Instance);

    /// <summary>The fetcher over the test's handler, trusting the test's root besides the system's.</summary>
    internal static SnsFetcher Fetcher(SnsTestTopic sns) =>
        new(new HandlerClients(sns), new SnsRoots([sns.Root]), TimeProvider.System, NullLogger<SnsFetcher>.Instance);

    internal static WebhookRequest Request(string body, params (string Name, string Value)[] headers)
    {
        var dictionary = new HeaderDictionary();
        foreach (var (name, value) in headers) dictionary[name] = value;
        return new WebhookRequest(dictionary, Encoding.UTF8.GetBytes(body));
    }

    /// <summary>Every named client goes to the test's handler (the seam for SNS, whose hosts the tests cannot reach).</summary>
    private sealed class HandlerClients(HttpMessageHandler handler) : IHttpClientFactory
    {
        public HttpClient CreateClient(string name) => new(handler, disposeHandler: false);
    }
}

using System.Net;
using System.Security.Cryptography;
using Blog.Cli;
using Blog.Feedback;
using Blog.MailingList;
using Blog.Webhooks;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Blog.Tests.Webhooks;

/// <summary>
/// <c>blog run</c> on real Kestrel and a real SQLite file, with every provider's webhook configured (keys generated
/// here), and SNS's hosts played by <see cref="SnsTestTopic"/> behind the fetcher's HTTP client.
/// </summary>
public sealed class WebhookSite : IAsyncLifetime
{
    private readonly TempFolder folder = new();
    private WebApplication app = null!;

    public SnsTestTopic Sns { get; } = new();

    public ECDsa SendGridKey { get; } = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    public HttpClient Client { get; private set; } = null!;

    public CapturedLog Log { get; } = new();

    public async Task InitializeAsync()
    {
        app = await StartAsync(folder, Log, Sns,
            $"--Webhooks:Ses:TopicArns:0={SnsTestTopic.Topic}",
            $"--Webhooks:Postmark:User={WebhookTestParts.PostmarkUser}", $"--Webhooks:Postmark:Password={WebhookTestParts.PostmarkPassword}",
            $"--Webhooks:Mailgun:SigningKey={WebhookTestParts.MailgunKey}",
            $"--Webhooks:SendGrid:PublicKey={SendGridWebhookTests.PublicKey(SendGridKey)}",
            $"--Webhooks:Events:Secret={WebhookTestParts.EventsSecret}",
            "--Mail:MaxBounces=1");
        Client = new HttpClient { BaseAddress = LoopbackPort.BoundUri(app) };
    }

    /// <summary>A service of its own, for a test that needs other settings.</summary>
    internal static async Task<WebApplication> StartAsync(TempFolder folder, CapturedLog log, SnsTestTopic sns, params string[] settings)
    {
        var app = BlogCli.CreateService(["run", "--content", Path.Combine(TestSite.RepositoryRoot(), "content", "posts"), "--out", folder.Combine("out"),
            "--data", folder.Combine("data"), "--urls", LoopbackPort.AnyUrl, "--Logging:LogLevel:Default=Information", .. settings], services =>
            {
                services.AddSingleton<ILoggerProvider>(log);
                services.AddHttpClient(SnsFetcher.ClientName).ConfigurePrimaryHttpMessageHandler(() => new SharedHandler(sns));
                services.AddSingleton(new SnsRoots([sns.Root]));
            });
        // Returns once the hosted services started, the database migrated among them.
        await app.StartAsync();
        return app;
    }

    public async Task DisposeAsync()
    {
        Client.Dispose();
        await app.StopAsync();
        await app.DisposeAsync();
        Sns.Dispose();
        SendGridKey.Dispose();
        folder.Dispose();
    }

    public T Service<T>() where T : notnull => app.Services.GetRequiredService<T>();

    /// <summary>Adds active subscribers, as an import does.</summary>
    public async Task AddAsync(params string[] addresses) =>
        await Service<ISubscriberStore>().ImportAsync([.. addresses.Select(a => TestSubscriptions.Draft(a, SubscriberStatus.Active))],
            DateTimeOffset.UtcNow, null, null, CancellationToken.None);

    public async Task<Subscriber> FindAsync(string address) =>
        (await Service<ISubscriberStore>().FindAsync(EmailAddress.Parse(address), CancellationToken.None))!;

    public async Task<List<SubscriberEvent>> HistoryAsync(string address)
    {
        var subscriber = await FindAsync(address);
        var events = new List<SubscriberEvent>();
        await foreach (var e in Service<IFeedbackStore>().HistoryAsync(subscriber.Id, CancellationToken.None)) events.Add(e);
        return events;
    }

    public async Task<(HttpStatusCode Status, string Body)> PostAsync(string provider, string body, params (string Name, string Value)[] headers)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"webhooks/{provider}") { Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json") };
        foreach (var (name, value) in headers) request.Headers.TryAddWithoutValidation(name, value);
        using var response = await Client.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>The test's handler for the client factory, which disposes the handlers it is given when it recycles them; this one is the test's.</summary>
    private sealed class SharedHandler(HttpMessageHandler inner) : HttpMessageHandler
    {
        private readonly HttpMessageInvoker invoker = new(inner, disposeHandler: false);

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            invoker.SendAsync(request, cancellationToken);
    }
}

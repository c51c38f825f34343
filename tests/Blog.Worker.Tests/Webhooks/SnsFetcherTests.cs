using System.Net;
using Blog.Webhooks;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Blog.Tests.Webhooks;

/// <summary>The <c>sns</c> HTTP client as the service registers it.</summary>
public sealed class SnsFetcherTests
{
    private static ServiceProvider Services(Action<IServiceCollection>? change = null)
    {
        var services = new ServiceCollection().AddLogging().AddSingleton(TimeProvider.System);
        services.AddWebhooks(new ConfigurationBuilder().Build());
        change?.Invoke(services);
        return services.BuildServiceProvider();
    }

    [Fact]
    public void The_client_does_not_follow_redirects()
    {
        // A redirect from an SNS host could send the fetch anywhere; the pin is only worth something if it is the last word.
        using var services = Services();
        HttpMessageHandler handler = services.GetRequiredService<IHttpMessageHandlerFactory>().CreateHandler(SnsFetcher.ClientName);
        while (handler is DelegatingHandler delegating) handler = delegating.InnerHandler!;

        var redirects = handler switch
        {
            SocketsHttpHandler sockets => sockets.AllowAutoRedirect,
            HttpClientHandler client => client.AllowAutoRedirect,
            _ => throw new InvalidOperationException($"unexpected primary handler {handler.GetType()}"),
        };
        Assert.False(redirects);
    }

    [Fact]
    public async Task A_certificate_is_fetched_once_with_no_retries_when_it_fails()
    {
        using var sns = new SnsTestTopic { CertificateStatus = HttpStatusCode.ServiceUnavailable };
        using var services = Services(s => s.AddHttpClient(SnsFetcher.ClientName).ConfigurePrimaryHttpMessageHandler(() => new Invoker(sns)));

        var fetched = await services.GetRequiredService<SnsFetcher>().CertificateAsync(new Uri(SnsTestTopic.CertificateUrl), CancellationToken.None);

        Assert.Null(fetched.Certificate);
        Assert.Equal(1, sns.Fetches(SnsTestTopic.CertificateUrl));
    }

    /// <summary>The client factory disposes the handlers it is given; the test's is its own.</summary>
    private sealed class Invoker(HttpMessageHandler inner) : HttpMessageHandler
    {
        private readonly HttpMessageInvoker invoker = new(inner, disposeHandler: false);

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            invoker.SendAsync(request, cancellationToken);
    }
}

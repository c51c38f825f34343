namespace Blog.Webhooks;

/// <summary>One provider's webhook: checks who sent a request and reads the events in it.</summary>
internal interface IWebhookReader
{
    /// <summary>The provider's name in the URL, <c>/webhooks/{name}</c>, and the events' source.</summary>
    string Name { get; }

    /// <summary>Whether the owner set this provider's credentials; an endpoint that is not configured is not there (404).</summary>
    bool Configured { get; }

    /// <summary>Authenticates the request and maps its events; nothing is recorded here.</summary>
    ValueTask<WebhookReading> ReadAsync(WebhookRequest request, CancellationToken cancellationToken);
}

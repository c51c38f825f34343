namespace Blog.Webhooks;

/// <summary><c>Webhooks:Events</c>: the generic endpoint, <c>/webhooks/events</c>, for anything that is not a known provider.</summary>
public sealed class EventsWebhookOptions
{
    /// <summary>The bearer secret callers send (<c>Authorization: Bearer …</c>), at least 32 characters. Empty: the endpoint is off.</summary>
    public string Secret { get; set; } = "";
}

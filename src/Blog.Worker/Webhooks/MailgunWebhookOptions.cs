namespace Blog.Webhooks;

/// <summary><c>Webhooks:Mailgun</c>.</summary>
public sealed class MailgunWebhookOptions
{
    /// <summary>The HTTP webhook signing key from Mailgun's control panel. Empty: the endpoint is off.</summary>
    public string SigningKey { get; set; } = "";
}

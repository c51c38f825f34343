namespace Blog.Webhooks;

/// <summary><c>Webhooks:Ses</c>: Amazon SES events delivered through SNS to <c>/webhooks/ses</c>.</summary>
public sealed class SesWebhookOptions
{
    /// <summary>
    /// The SNS topics (ARNs) whose messages are taken, and whose subscription is confirmed. Empty: the endpoint is off.
    /// </summary>
    public List<string> TopicArns { get; set; } = [];
}

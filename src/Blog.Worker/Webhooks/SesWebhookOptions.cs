namespace Blog.Webhooks;

/// <summary><c>Webhooks:Ses</c>: Amazon SES events delivered through SNS to <c>/webhooks/ses</c>.</summary>
public sealed class SesWebhookOptions
{
    /// <summary>
    /// The SNS topics (ARNs) whose messages are taken, and whose subscription is confirmed. Empty: the endpoint is off.
    /// </summary>
    public List<string> TopicArns { get; set; } = [];

    /// <summary>
    /// Take only messages signed with SHA256withRSA (SignatureVersion 2), as AWS recommends. Off by default because
    /// SNS topics sign with version 1 (SHA1) until their owner sets the topic's SignatureVersion attribute to 2.
    /// </summary>
    public bool RequireSignatureVersion2 { get; set; }
}

namespace Blog.Webhooks;

/// <summary><c>Webhooks:SendGrid</c>.</summary>
public sealed class SendGridWebhookOptions
{
    /// <summary>
    /// The Signed Event Webhook's verification key, as SendGrid shows it (base64 of the DER public key), or as PEM.
    /// Empty: the endpoint is off.
    /// </summary>
    public string PublicKey { get; set; } = "";
}

namespace Blog.Webhooks;

/// <summary><c>Webhooks:Postmark</c>: the basic-auth credentials put in the webhook URL given to Postmark.</summary>
public sealed class PostmarkWebhookOptions
{
    public string User { get; set; } = "";

    public string Password { get; set; } = "";
}

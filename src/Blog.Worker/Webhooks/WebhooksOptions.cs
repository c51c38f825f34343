namespace Blog.Webhooks;

/// <summary>
/// The <c>Webhooks</c> section: the providers that may report bounces, complaints and unsubscribes to
/// <c>POST /webhooks/{provider}</c>. A provider whose credentials are not set is not served (404).
/// </summary>
public sealed class WebhooksOptions
{
    public const string Section = "Webhooks";

    /// <summary>The largest request body read; a larger one gets 413 before it is read.</summary>
    public int MaxBodyBytes { get; set; } = 256 * 1024;

    /// <summary>How long a request body may take to arrive; a slower one gets 408.</summary>
    public TimeSpan BodyTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// A signed timestamp (SNS's Timestamp, Mailgun's and SendGrid's signature timestamps) further than this from the
    /// clock, either way, is refused: a captured request cannot be replayed later.
    /// </summary>
    public TimeSpan MaxAge { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Requests allowed per client and minute on all webhook endpoints together.</summary>
    public int RequestsPerMinute { get; set; } = 600;

    public SesWebhookOptions Ses { get; set; } = new();

    public PostmarkWebhookOptions Postmark { get; set; } = new();

    public MailgunWebhookOptions Mailgun { get; set; } = new();

    public SendGridWebhookOptions SendGrid { get; set; } = new();

    public EventsWebhookOptions Events { get; set; } = new();
}

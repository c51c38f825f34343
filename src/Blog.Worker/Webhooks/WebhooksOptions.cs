namespace Blog.Webhooks;

/// <summary>
/// The <c>Webhooks</c> section: the providers that may report bounces, complaints and unsubscribes to
/// <c>POST /webhooks/{provider}</c>. A provider whose credentials are not set is not served (404).
/// </summary>
public sealed class WebhooksOptions
{
    public const string Section = "Webhooks";

    /// <summary>
    /// The largest request body read; a larger one gets 413 before it is read. SendGrid posts batches of up to about
    /// 768 KB, and a batch refused would be retried and refused again, its events lost.
    /// </summary>
    public int MaxBodyBytes { get; set; } = 1024 * 1024;

    /// <summary>How long a request body may take to arrive; a slower one gets 408.</summary>
    public TimeSpan BodyTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// A signed timestamp (SNS's Timestamp, Mailgun's and SendGrid's signature timestamps) further than this from the
    /// clock, either way, is refused, so a captured request is of no use for long. It must cover each provider's
    /// retries, which can carry the first attempt's signature: a retry refused with 4xx is dropped for good (SNS), or
    /// retried until the provider gives up. SNS retries for up to an hour, Mailgun for 8 hours, SendGrid for 24:
    /// 25 hours covers all three. A replay inside the window changes nothing, since each event is recorded once by its
    /// key and a Mailgun token is remembered for at least this long.
    /// </summary>
    public TimeSpan MaxAge { get; set; } = TimeSpan.FromHours(25);

    /// <summary>Requests allowed per client and minute on all webhook endpoints together.</summary>
    public int RequestsPerMinute { get; set; } = 600;

    public SesWebhookOptions Ses { get; set; } = new();

    public PostmarkWebhookOptions Postmark { get; set; } = new();

    public MailgunWebhookOptions Mailgun { get; set; } = new();

    public SendGridWebhookOptions SendGrid { get; set; } = new();

    public EventsWebhookOptions Events { get; set; } = new();
}

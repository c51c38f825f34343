namespace Blog.Mail;

/// <summary>How mail leaves. Bound from the <c>Mail</c> section.</summary>
public sealed class MailOptions
{
    public const string Section = "Mail";

    public MailTransportKind Transport { get; set; } = MailTransportKind.Pickup;

    /// <summary>The sender, as <c>Name &lt;address&gt;</c> or a bare address.</summary>
    public string From { get; set; } = "Blog <newsletter@blog.example.com>";

    /// <summary>
    /// The mailbox in List-Unsubscribe's mailto; empty means the <see cref="From"/> address. When this or
    /// <see cref="ReturnPath"/> is set (the owner reads replies, and their server takes subaddresses), mail to a subscriber
    /// carries it with <c>+{token}</c> added to its local part, naming them (see <c>Feedback/ReturnAddress</c>).
    /// </summary>
    public string UnsubscribeMailbox { get; set; } = "";

    /// <summary>
    /// The bounce mailbox, e.g. <c>bounces@example.com</c>. When set, each mail goes out with the envelope sender
    /// <c>bounces+{token}@example.com</c>, which names its subscriber and run (see <c>Feedback/ReturnAddress</c>).
    /// Empty: the envelope sender is <see cref="From"/>.
    /// </summary>
    public string ReturnPath { get; set; } = "";

    /// <summary>
    /// The authserv-id (RFC 8601) your own receiving server writes in the Authentication-Results header it prepends,
    /// e.g. <c>mx.example.com</c>. A mail titled "unsubscribe" to the plain unsubscribe mailbox (no token) is honoured
    /// only when the first such header with this id says <c>dmarc=pass</c>, or <c>dkim=pass</c> for the From domain
    /// or a parent of it: From alone can be forged. Empty: such requests are left for the owner.
    /// </summary>
    public string TrustedAuthServId { get; set; } = "";

    /// <summary>The pickup folder; empty means <c>mail</c> in the data folder.</summary>
    public string PickupPath { get; set; } = "";

    /// <summary>Attempts before a mail that keeps failing transiently is given up and recorded as failed.</summary>
    public int MaxAttempts { get; set; } = 10;

    /// <summary>Transient failures in a row after which a round (of digests or of the outbox) pauses, instead of hammering a failing server.</summary>
    public int ErrorBudget { get; set; } = 10;

    /// <summary>Hard bounces (5xx replies to a digest) after which a subscriber is suspended.</summary>
    public int MaxBounces { get; set; } = 3;

    /// <summary>Soft bounces (4.x.x reports) within <see cref="SoftBounceWindow"/> after which a subscriber is suspended.</summary>
    public int MaxSoftBounces { get; set; } = 5;

    /// <summary>How far back soft bounces count toward <see cref="MaxSoftBounces"/>.</summary>
    public TimeSpan SoftBounceWindow { get; set; } = TimeSpan.FromDays(14);

    /// <summary>The first retry delay; each later one doubles, up to an hour.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How often the running service looks at the outbox unasked: for retries that came due, and mail a CLI command queued.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// How long a claimed outbox mail (a confirmation) is held by its sender, as <c>Digests:Lease</c> is for digests:
    /// a sender that dies holds its claims this long, then another takes them over.
    /// </summary>
    public TimeSpan OutboxLease { get; set; } = TimeSpan.FromMinutes(5);

    public SmtpOptions Smtp { get; set; } = new();

    public DkimOptions Dkim { get; set; } = new();
}

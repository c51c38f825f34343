namespace Blog.Mail;

/// <summary>How one claimed message was settled.</summary>
internal enum DeliveryOutcome
{
    Sent,

    /// <summary>Nothing to send any more (a digest whose posts were all withdrawn, or whose subscriber left).</summary>
    Skipped,

    /// <summary>Refused for good, out of attempts, or impossible to make.</summary>
    Failed,

    /// <summary>A transient failure: tried again later, with backoff.</summary>
    Deferred,
}

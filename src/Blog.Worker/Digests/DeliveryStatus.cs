namespace Blog.Digests;

public enum DeliveryStatus
{
    /// <summary>Written before any mail leaves; waiting to be claimed and sent.</summary>
    Pending,
    Sent,

    /// <summary>Nothing new for this subscriber: recorded so the owner can see it, nothing sent.</summary>
    Skipped,

    /// <summary>Refused for good (a 5xx reply) or out of attempts; <c>blog digest retry</c> puts it back.</summary>
    Failed,
}

namespace Blog.Feedback;

/// <summary>What a report about a mail we sent says happened to it, wherever the report came from.</summary>
public enum FeedbackKind
{
    /// <summary>Refused for good (5.x.x): counts toward <c>Mail:MaxBounces</c>.</summary>
    HardBounce,

    /// <summary>Refused for now (4.x.x): <c>Mail:MaxSoftBounces</c> within <c>Mail:SoftBounceWindow</c> suspend.</summary>
    SoftBounce,

    /// <summary>The recipient marked it as spam: unsubscribes at once, and only a fresh double opt-in brings them back.</summary>
    Complaint,

    /// <summary>The recipient asked to leave (a mail to the List-Unsubscribe mailto, a provider's unsubscribe event).</summary>
    Unsubscribe,
}

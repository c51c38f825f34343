namespace Blog.Feedback;

public enum FeedbackOutcome
{
    /// <summary>Recorded against the subscriber, and acted on.</summary>
    Applied,

    /// <summary>A report with this key was acted on before: nothing changed.</summary>
    Duplicate,

    /// <summary>No subscriber matches: nothing changed, the key is remembered so the report is counted once.</summary>
    NoSubscriber,
}

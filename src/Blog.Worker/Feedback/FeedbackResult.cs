using Blog.MailingList;

namespace Blog.Feedback;

/// <param name="Subscriber">As the report left them (null when none matched).</param>
/// <param name="RunKey">The run the report was tied to, when it was.</param>
public sealed record FeedbackResult(FeedbackOutcome Outcome, Subscriber? Subscriber = null, string? RunKey = null)
{
    /// <summary>What was recorded, when <see cref="FeedbackOutcome.Applied"/>: a complaint nobody vouched for is recorded as an unsubscribe.</summary>
    public FeedbackKind? Kind { get; init; }
}

namespace Blog.Feedback;

/// <summary>
/// One report of a batch (<see cref="IFeedbackStore.RecordBatchAsync"/>): an event to record and act on, or, without
/// one, a report key to remember with an outcome (<see cref="IFeedbackStore.MarkAsync"/>).
/// </summary>
public sealed record FeedbackEntry(FeedbackEvent? Event, string Key, string Outcome, DateTimeOffset At)
{
    public static FeedbackEntry Record(FeedbackEvent feedback) => new(feedback, feedback.Key, "", feedback.At);

    public static FeedbackEntry Mark(string key, string outcome, DateTimeOffset at) => new(null, key, outcome, at);
}

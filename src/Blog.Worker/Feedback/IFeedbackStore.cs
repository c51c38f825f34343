namespace Blog.Feedback;

/// <summary>
/// Reports about mail we sent, recorded against subscribers. Each report is recorded and acted on in one
/// transaction, keyed on <see cref="FeedbackEvent.Key"/>, so a report read twice (a mailbox pass killed before it
/// moved the message, a provider's retried webhook) changes nothing the second time.
/// </summary>
public interface IFeedbackStore
{
    /// <summary>
    /// Finds the subscriber (<see cref="FeedbackTarget"/>), records the event and acts on it: a hard bounce counts
    /// toward <see cref="FeedbackRules.MaxBounces"/>, soft bounces within the window toward
    /// <see cref="FeedbackRules.MaxSoftBounces"/> (either suspends: bounced), a complaint makes them complained, an
    /// unsubscribe unsubscribed.
    /// </summary>
    Task<FeedbackResult> RecordAsync(FeedbackEvent feedback, FeedbackRules rules, CancellationToken cancellationToken);

    /// <summary>Remembers a report that carried no event (an auto-reply, mail we could not read); false when it was known already.</summary>
    Task<bool> MarkAsync(string key, string outcome, DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>
    /// Records a batch of reports in one transaction (one synced commit instead of one a report), each as
    /// <see cref="RecordAsync"/> or <see cref="MarkAsync"/> would, in order: a key twice in the batch is a duplicate the
    /// second time. A mark's result is <see cref="FeedbackOutcome.Applied"/> when it was new, else
    /// <see cref="FeedbackOutcome.Duplicate"/>. All or nothing: a failure commits none of the batch.
    /// </summary>
    /// <remarks>A store made for a test need not batch: by default each is recorded on its own.</remarks>
    async Task<IReadOnlyList<FeedbackResult>> RecordBatchAsync(IReadOnlyList<FeedbackEntry> entries, FeedbackRules rules, CancellationToken cancellationToken)
    {
        var results = new FeedbackResult[entries.Count];
        for (var i = 0; i < entries.Count; i++)
        {
            var entry = entries[i];
            results[i] = entry.Event is { } feedback
                ? await RecordAsync(feedback, rules, cancellationToken)
                : new FeedbackResult(await MarkAsync(entry.Key, entry.Outcome, entry.At, cancellationToken) ? FeedbackOutcome.Applied : FeedbackOutcome.Duplicate);
        }
        return results;
    }

    /// <summary>Whether a report with this key was recorded or marked before.</summary>
    Task<bool> SeenAsync(string key, CancellationToken cancellationToken);

    /// <summary>The outcome a key was marked or recorded with, or null when it was not.</summary>
    Task<string?> OutcomeAsync(string key, CancellationToken cancellationToken) => Task.FromResult<string?>(null);

    /// <summary>
    /// Forgets at most <paramref name="limit"/> keys that start with <paramref name="prefix"/> and were marked before
    /// <paramref name="before"/> (keys kept only while they can matter, such as a webhook's replay window); the number forgotten.
    /// </summary>
    Task<int> ForgetAsync(string prefix, DateTimeOffset before, int limit, CancellationToken cancellationToken) => Task.FromResult(0);

    /// <summary>A subscriber's events, oldest first.</summary>
    IAsyncEnumerable<SubscriberEvent> HistoryAsync(long subscriberId, CancellationToken cancellationToken);

    /// <summary>Each subscriber's newest event, in subscriber id order (as the list is read), for the export.</summary>
    /// <remarks>Empty unless a store keeps events: a store made for a test need not.</remarks>
    IAsyncEnumerable<SubscriberEvent> LatestAsync(CancellationToken cancellationToken) => AsyncEnumerable.Empty<SubscriberEvent>();

    /// <summary>What a run sent and what came back about it.</summary>
    Task<RunFeedback> RunFeedbackAsync(string runKey, CancellationToken cancellationToken);
}

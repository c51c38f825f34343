using System.Globalization;
using Blog.Mail;
using Blog.MailingList;

namespace Blog.Feedback;

/// <summary>
/// The one way a report about our mail is acted on, from the mailbox, a webhook or the command line: recorded against
/// its subscriber under <see cref="MailOptions"/>'s bounce rules, logged, and watched for the rates at which mailbox
/// providers start to throttle or block a sender.
/// </summary>
public sealed partial class FeedbackRecorder(IFeedbackStore store, IOptions<MailOptions> options, ILogger<FeedbackRecorder> logger, Blog.Digests.DigestMetrics? metrics = null)
{
    /// <summary>Complaints per thousand sent above which a run is warned about: Gmail's and Yahoo's 0.1 %.</summary>
    public const int ComplaintsPerThousand = 1;

    /// <summary>Hard bounces per hundred sent above which a run is warned about: 2 %.</summary>
    public const int HardBouncesPerHundred = 2;

    public async Task<FeedbackResult> RecordAsync(FeedbackEvent feedback, CancellationToken cancellationToken)
    {
        var result = await store.RecordAsync(feedback, FeedbackRules.From(options.Value), cancellationToken);
        await ReportAsync(feedback, result, cancellationToken);
        return result;
    }

    /// <summary>A batch in one commit (<see cref="IFeedbackStore.RecordBatchAsync"/>), then each event logged and watched as <see cref="RecordAsync"/> does.</summary>
    public async Task<IReadOnlyList<FeedbackResult>> RecordBatchAsync(IReadOnlyList<FeedbackEntry> entries, CancellationToken cancellationToken)
    {
        var results = await store.RecordBatchAsync(entries, FeedbackRules.From(options.Value), cancellationToken);
        for (var i = 0; i < entries.Count; i++)
            if (entries[i].Event is { } feedback) await ReportAsync(feedback, results[i], cancellationToken);
        return results;
    }

    private async Task ReportAsync(FeedbackEvent feedback, FeedbackResult result, CancellationToken cancellationToken)
    {
        var kind = feedback.Kind.ToText();
        switch (result.Outcome)
        {
            case FeedbackOutcome.Applied:
                Log.Applied(logger, kind, feedback.Source, result.Subscriber!.Id, result.Subscriber.Status.ToText(), result.RunKey ?? "none");
                metrics?.Recorded(feedback.Kind);
                break;
            case FeedbackOutcome.Duplicate:
                Log.Duplicate(logger, kind, feedback.Source);
                break;
            default:
                Log.NoSubscriber(logger, kind, feedback.Source);
                break;
        }
        if (result is { Outcome: FeedbackOutcome.Applied, RunKey: { } run })
            await CheckRunAsync(run, feedback.At, cancellationToken);
    }

    /// <summary>The run's deliveries settled before its rates are judged, unless none is pending any more.</summary>
    public const int SettledBeforeAlert = 100;

    /// <summary>
    /// Warns when a run is over either limit, once per run and kind: the warning is remembered as a marked report key,
    /// so neither later events nor a restart nor another node warn again. Called after every event with a run, and by
    /// the digest sender after a 5xx at send time, so both kinds of bounce meet one check. The rate is of the mail that
    /// went (sent, and refused at send time), and is judged only once 100 deliveries are settled or none is pending: a
    /// complaint about the first ten mails of a big run is not yet a rate, and a warning cannot be taken back.
    /// </summary>
    public async Task CheckRunAsync(string runKey, DateTimeOffset at, CancellationToken cancellationToken)
    {
        try
        {
            var counts = await store.RunFeedbackAsync(runKey, cancellationToken);
            if (counts.Pending > 0 && counts.Sent + counts.Failed + counts.Skipped < SettledBeforeAlert) return;
            var mailed = counts.Sent + counts.Failed;
            // Spaces in the key: no report's Message-ID can take it first.
            if ((long)counts.Complaints * 1000 > (long)mailed * ComplaintsPerThousand
                && await store.MarkAsync($"alert {FeedbackKind.Complaint.ToText()} rate {runKey}", "alerted", at, cancellationToken))
                Log.ComplaintRate(logger, runKey, counts.Complaints, mailed, Percent(counts.Complaints, mailed));
            if ((long)counts.HardBounces * 100 > (long)mailed * HardBouncesPerHundred
                && await store.MarkAsync($"alert {FeedbackKind.HardBounce.ToText()} rate {runKey}", "alerted", at, cancellationToken))
                Log.HardBounceRate(logger, runKey, counts.HardBounces, mailed, Percent(counts.HardBounces, mailed));
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The report itself is recorded; only the check failed, and the next event of the run checks again.
            Log.AlertFailed(logger, runKey, e);
        }
    }

    private static string Percent(int count, int sent) =>
        sent == 0 ? "all" : ((double)count / sent).ToString("0.##%", CultureInfo.InvariantCulture);

    private static partial class Log
    {
        [LoggerMessage(LogEvents.FeedbackRecorder.Applied, LogLevel.Information, "{Kind} from {Source}: subscriber {Id} is {Status} (run {Run})")]
        public static partial void Applied(ILogger logger, string kind, string source, long id, string status, string run);

        [LoggerMessage(LogEvents.FeedbackRecorder.Duplicate, LogLevel.Debug, "{Kind} from {Source}: this report was already acted on; nothing changed")]
        public static partial void Duplicate(ILogger logger, string kind, string source);

        [LoggerMessage(LogEvents.FeedbackRecorder.NoSubscriber, LogLevel.Information, "{Kind} from {Source} matches no subscriber; nothing changed")]
        public static partial void NoSubscriber(ILogger logger, string kind, string source);

        [LoggerMessage(LogEvents.FeedbackRecorder.ComplaintRate, LogLevel.Warning,
            "Run {Run}: {Complaints} complaints of {Sent} sent ({Rate}), over the 0.1 % at which Gmail and Yahoo throttle or block a sender. Check how these readers signed up")]
        public static partial void ComplaintRate(ILogger logger, string run, int complaints, int sent, string rate);

        [LoggerMessage(LogEvents.FeedbackRecorder.HardBounceRate, LogLevel.Warning,
            "Run {Run}: {Bounces} hard bounces of {Sent} sent ({Rate}), over 2 %. The list has dead addresses: an old import, or sign-ups without confirmation?")]
        public static partial void HardBounceRate(ILogger logger, string run, int bounces, int sent, string rate);

        [LoggerMessage(LogEvents.FeedbackRecorder.AlertFailed, LogLevel.Warning, "Run {Run}: could not check its complaint and bounce rates")]
        public static partial void AlertFailed(ILogger logger, string run, Exception exception);
    }
}

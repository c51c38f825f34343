using Blog.Mail;

namespace Blog.Feedback;

/// <summary>
/// The one way a report about our mail is acted on, from the mailbox, a webhook or the command line: recorded against
/// its subscriber under <see cref="MailOptions"/>'s bounce rules.
/// </summary>
public sealed partial class FeedbackRecorder(IFeedbackStore store, IOptions<MailOptions> options, ILogger<FeedbackRecorder> logger)
{
    public async Task<FeedbackResult> RecordAsync(FeedbackEvent feedback, CancellationToken cancellationToken)
    {
        var result = await store.RecordAsync(feedback, FeedbackRules.From(options.Value), cancellationToken);
        _ = logger;
        return result;
    }
}

using Blog.Mail;

namespace Blog.Feedback;

/// <summary>When bounces suspend a subscriber; from <see cref="MailOptions"/>.</summary>
public sealed record FeedbackRules(int MaxBounces, int MaxSoftBounces, TimeSpan SoftBounceWindow)
{
    public static FeedbackRules From(MailOptions options) => new(options.MaxBounces, options.MaxSoftBounces, options.SoftBounceWindow);
}

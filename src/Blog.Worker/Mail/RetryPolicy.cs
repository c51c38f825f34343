namespace Blog.Mail;

/// <summary>When a transient failure is tried again, and when it is given up: one rule for every mail the product sends.</summary>
public static class RetryPolicy
{
    private static readonly TimeSpan MaxDelay = TimeSpan.FromHours(1);

    /// <summary><see cref="MailOptions.RetryDelay"/>, doubled for each attempt after the first, at most an hour.</summary>
    public static TimeSpan Delay(MailOptions options, int attempts)
    {
        var delay = options.RetryDelay * Math.Pow(2, Math.Min(attempts - 1, 20));
        return delay < MaxDelay ? delay : MaxDelay;
    }

    /// <summary>Why the failure ends the message's tries, or null when it is tried again.</summary>
    public static string? GiveUp(MailOptions options, MailDeliveryException failure, int attempts) =>
        failure.Permanent ? failure.Message
        : attempts >= options.MaxAttempts ? $"gave up after {attempts} attempts: {failure.Message}"
        : null;
}

namespace Blog.Mail;

/// <summary>
/// After a failure of the mail setup (<see cref="MailDeliveryException.StopSending"/>: a refused password, no TLS for
/// it), how long every sender holds off before logging in again: <see cref="MailOptions.RetryDelay"/>, doubling up to
/// an hour. The service looks every poll interval and at every sign-up; each look would otherwise log in again (a
/// server may ban an address for that) and log again. One for the process: digests and the outbox share the setup.
/// </summary>
public sealed class SendingPause(IOptions<MailOptions> options, TimeProvider time)
{
    private sealed record State(DateTimeOffset Until, int Count, string Error);

    private State? state;

    /// <summary>Why sending is held off now; null when a sender may try.</summary>
    public string? Reason => Volatile.Read(ref state) is { } s && time.GetUtcNow() < s.Until ? s.Error : null;

    /// <summary>The setup failed again: holds off twice as long as the last time.</summary>
    /// <returns>How long.</returns>
    public TimeSpan Begin(string error)
    {
        while (true)
        {
            var last = Volatile.Read(ref state);
            var count = (last?.Count ?? 0) + 1;
            var delay = RetryPolicy.Delay(options.Value, count);
            if (Interlocked.CompareExchange(ref state, new State(time.GetUtcNow() + delay, count, error), last) == last) return delay;
        }
    }

    /// <summary>The server took or judged a message: the setup works.</summary>
    public void End() => Volatile.Write(ref state, null);
}

using System.Threading.RateLimiting;

namespace Blog.Mail;

/// <summary>
/// <see cref="SmtpOptions.MessagesPerSecond"/> over all mail the process sends: one for the process, handed to every
/// <see cref="DeliveryPipeline{TClaim}"/> (digests, the outbox, the CLI's one-shot rounds), as <see cref="SendingPause"/>
/// is. A limiter per round or per pipeline would let the server see the rate once for each, and a fresh full bucket
/// at every round.
/// </summary>
public sealed class SendingRate(IOptions<MailOptions> options) : IDisposable
{
    private readonly TokenBucketRateLimiter? limiter = Create(options.Value.Smtp.MessagesPerSecond);

    /// <summary>Whether sending waits for the rate at all.</summary>
    public bool Limited => limiter is not null;

    /// <summary>Waits until one more message may begin.</summary>
    public async ValueTask WaitAsync(CancellationToken cancellationToken)
    {
        if (limiter is null) return;
        using var _ = await limiter.AcquireAsync(1, cancellationToken);
    }

    public void Dispose() => limiter?.Dispose();

    private static TokenBucketRateLimiter? Create(double perSecond)
    {
        if (perSecond <= 0) return null;
        // Tokens are added every 100 ms (a finer timer is not reliable); slow rates add one token at their own pace.
        var fast = perSecond >= 10;
        var tokens = fast ? (int)Math.Max(1, Math.Round(perSecond / 10)) : 1;
        return new TokenBucketRateLimiter(new TokenBucketRateLimiterOptions
        {
            TokenLimit = tokens,
            TokensPerPeriod = tokens,
            ReplenishmentPeriod = fast ? TimeSpan.FromMilliseconds(100) : TimeSpan.FromSeconds(1 / perSecond),
            QueueLimit = int.MaxValue,
            AutoReplenishment = true,
        });
    }
}

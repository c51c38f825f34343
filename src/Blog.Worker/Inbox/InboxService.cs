using Microsoft.Extensions.Hosting;

namespace Blog.Inbox;

/// <summary>
/// Reads the return mailbox while the service runs (only when <c>Mail:Inbox:Host</c> is set): a pass at start, then
/// one each time IMAP IDLE says mail came, or every <see cref="InboxOptions.PollInterval"/>. While the server cannot
/// be reached the service backs off (doubling, up to <see cref="LongestBackoff"/>) and says so once, not every try.
/// </summary>
internal sealed partial class InboxService(InboxPass pass, IMailbox mailbox, IOptions<InboxOptions> options, TimeProvider time,
    ILogger<InboxService> logger) : BackgroundService
{
    private static readonly TimeSpan FirstBackoff = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan LongestBackoff = TimeSpan.FromMinutes(10);

    private int bounces;
    private int failures;
    private volatile bool waiting;

    /// <summary>Bounces counted since start: tests wait on this, not on the clock.</summary>
    internal int Bounces => Volatile.Read(ref bounces);

    /// <summary>Passes that could not reach the mailbox since start.</summary>
    internal int Failures => Volatile.Read(ref failures);

    /// <summary>Whether the service is waiting for mail (in IDLE, or for the next poll).</summary>
    internal bool IsWaiting => waiting;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        string? failing = null;
        var backoff = FirstBackoff;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var summary = await pass.RunAsync(mailbox, stoppingToken);
                if (failing is not null) Log.Back(logger, mailbox.Describe());
                failing = null;
                backoff = FirstBackoff;
                Interlocked.Add(ref bounces, summary.Bounces);
                waiting = true;
                try
                {
                    await mailbox.WaitAsync(options.Value.PollInterval, stoppingToken);
                }
                finally
                {
                    waiting = false;
                }
            }
            catch (InboxException e)
            {
                // Once for an outage, however long: the next line about it is that it ended.
                if (failing != e.Message) Log.Unreachable(logger, e.Message, backoff);
                failing = e.Message;
                Interlocked.Increment(ref failures);
                await Task.Delay(backoff, time, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                backoff = backoff * 2 > LongestBackoff ? LongestBackoff : backoff * 2;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
        }
        await mailbox.DisposeAsync();
    }

    private static partial class Log
    {
        [LoggerMessage(LogEvents.InboxService.Unreachable, LogLevel.Error, "Cannot read the return mailbox: {Problem}. Trying again in {Backoff}, then less often, until it works")]
        public static partial void Unreachable(ILogger logger, string problem, TimeSpan backoff);

        [LoggerMessage(LogEvents.InboxService.Back, LogLevel.Warning, "The return mailbox {Server} can be read again")]
        public static partial void Back(ILogger logger, string server);
    }
}

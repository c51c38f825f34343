using Blog.Mail;
using Blog.MailingList;
using Microsoft.Extensions.Hosting;

namespace Blog.Subscriptions;

/// <summary>
/// In the running service: stores each sign-up of the <see cref="SignUpBacklog"/> and queues its confirmation. On a
/// clean stop it takes no more and stores what it already took, since each of those was told to check their inbox;
/// only a stop that runs out of time abandons the rest.
/// </summary>
internal sealed partial class SignUpWorker(SignUpBacklog backlog, ISubscriberStore store, ConfirmationMail confirmation, OutboxSender sender,
    TimeProvider time, IOptions<SubscriptionOptions> options, ILogger<SignUpWorker> logger, SubscriptionMetrics metrics) : IHostedService, IDisposable
{
    private readonly CancellationTokenSource abandon = new();

    private Task running = Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        running = Task.Run(() => RunAsync(abandon.Token), CancellationToken.None);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        backlog.Close();
        // The host's stop timeout is the only thing that cuts the drain short.
        await using (cancellationToken.Register(abandon.Cancel))
            await running.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    public void Dispose() => abandon.Dispose();

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var draft in backlog.ReadAllAsync(cancellationToken))
            {
                try
                {
                    await StoreAsync(draft, cancellationToken);
                }
                finally
                {
                    backlog.Done();
                }
            }
        }
        catch (Exception) when (cancellationToken.IsCancellationRequested)
        {
            Log.Abandoned(logger);
        }
    }

    /// <summary>
    /// Until it is stored: the person was told to check their inbox. While the database is unreachable the sign-up is
    /// tried again, at growing intervals, and the form refuses new ones; a failure of any other kind (a bug) is logged
    /// and the sign-up dropped, since trying again would fail alike.
    /// </summary>
    private async Task StoreAsync(SubscriberDraft draft, CancellationToken cancellationToken)
    {
        var wait = FirstRetry;
        while (true)
        {
            try
            {
                await SignUpAsync(draft, cancellationToken);
                if (backlog.StoreDown) Log.StoreBack(logger);
                backlog.StoreDown = false;
                return;
            }
            catch (Exception e) when (Storage.Database.IsDriverError(e) && !cancellationToken.IsCancellationRequested)
            {
                if (!backlog.StoreDown) Log.StoreDown(logger, e.Message);
                backlog.StoreDown = true;
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested)
            {
                // The database answered, so it is not down: the form takes sign-ups again. The address is not logged.
                backlog.StoreDown = false;
                Log.Failed(logger, e);
                return;
            }
            await Task.Delay(wait, time, cancellationToken);
            wait = TimeSpan.FromTicks(Math.Min(wait.Ticks * 2, LastRetry.Ticks));
        }
    }

    private static readonly TimeSpan FirstRetry = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan LastRetry = TimeSpan.FromSeconds(30);

    private async Task SignUpAsync(SubscriberDraft draft, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var result = await store.SignUpAsync(draft, now, options.Value.ResendInterval, s => confirmation.For(s, now), cancellationToken);
        if (result.ConfirmationQueued) sender.Wake();
        Log.SignedUp(logger, result.Subscriber.Id, result.ConfirmationQueued);
        metrics.SignedUp();
    }

    private static partial class Log
    {
        [LoggerMessage(LogEvents.SignUpWorker.SignedUp, LogLevel.Information, "Sign-up: subscriber {Id}, confirmation queued: {Queued}")]
        public static partial void SignedUp(ILogger logger, long id, bool queued);

        [LoggerMessage(LogEvents.SignUpWorker.StoreDown, LogLevel.Error, "Sign-ups cannot be stored, the database is unreachable ({Reason}); those taken are tried again, new ones get 503")]
        public static partial void StoreDown(ILogger logger, string reason);

        [LoggerMessage(LogEvents.SignUpWorker.StoreBack, LogLevel.Information, "Sign-ups are stored again")]
        public static partial void StoreBack(ILogger logger);

        [LoggerMessage(LogEvents.SignUpWorker.Failed, LogLevel.Error, "A sign-up could not be stored; it is dropped (the person may sign up again)")]
        public static partial void Failed(ILogger logger, Exception exception);

        [LoggerMessage(LogEvents.SignUpWorker.Abandoned, LogLevel.Warning, "The service stopped before every sign-up was stored; those left are dropped")]
        public static partial void Abandoned(ILogger logger);
    }
}

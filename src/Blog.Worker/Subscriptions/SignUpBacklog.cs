using System.Threading.Channels;
using Blog.MailingList;

namespace Blog.Subscriptions;

/// <summary>
/// Sign-ups the form has answered and the <see cref="SignUpWorker"/> has not yet stored. The form answers every
/// address the same way at once, so how long the answer takes cannot tell whether the address was on the list. It is
/// bounded: when full, the form answers 503 instead of letting a flood grow it.
/// </summary>
public sealed class SignUpBacklog
{
    private readonly Channel<SubscriberDraft> channel;

    private readonly Lock gate = new();

    private readonly TaskCompletionSource closed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Taken and not yet done: in the channel, or being stored.</summary>
    private int outstanding;

    private TaskCompletionSource idle = Completed();

    public SignUpBacklog(IOptions<SubscriptionOptions> options)
    {
        channel = Channel.CreateBounded<SubscriberDraft>(new BoundedChannelOptions(options.Value.SignUpBacklog)
        {
            FullMode = BoundedChannelFullMode.Wait,
            SingleReader = true,
        });
    }

    private volatile bool storeDown;

    /// <summary>
    /// The worker found the database unreachable and is retrying what it took: new sign-ups are refused meanwhile (503),
    /// not promised a mail that may never come.
    /// </summary>
    public bool StoreDown
    {
        get => storeDown;
        internal set => storeDown = value;
    }

    /// <summary>Done when the backlog takes no more sign-ups: the service is stopping.</summary>
    public Task Closed => closed.Task;

    /// <returns>False when the backlog is full or closed: the sign-up was not taken.</returns>
    public bool TryAdd(SubscriberDraft draft)
    {
        lock (gate)
        {
            if (!channel.Writer.TryWrite(draft)) return false;
            if (outstanding++ == 0) idle = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            return true;
        }
    }

    /// <summary>Every sign-up taken, until <see cref="Close"/> and the last is read. Call <see cref="Done"/> after each.</summary>
    internal IAsyncEnumerable<SubscriberDraft> ReadAllAsync(CancellationToken cancellationToken) => channel.Reader.ReadAllAsync(cancellationToken);

    internal void Done()
    {
        lock (gate)
        {
            if (--outstanding == 0) idle.TrySetResult();
        }
    }

    internal void Close()
    {
        channel.Writer.TryComplete();
        closed.TrySetResult();
    }

    /// <summary>Until every sign-up taken so far has been stored (or has failed and been logged).</summary>
    public Task WhenIdleAsync(CancellationToken cancellationToken)
    {
        lock (gate) return idle.Task.WaitAsync(cancellationToken);
    }

    private static TaskCompletionSource Completed()
    {
        var done = new TaskCompletionSource();
        done.SetResult();
        return done;
    }
}

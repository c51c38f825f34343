using System.Threading.Channels;

namespace Blog.Mail;

/// <summary>
/// Wakes a delivery loop when there is something to send now, instead of letting it wait for its next look. Wakes
/// that arrive while the loop is busy are kept (one is enough), so none is missed.
/// </summary>
public sealed class WakeSignal
{
    private readonly Channel<bool> wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    public void Wake() => wake.Writer.TryWrite(true);

    /// <summary>Returns when woken or after <paramref name="timeout"/> on <paramref name="time"/>, whichever is first.</summary>
    public async Task WaitAsync(TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var delay = Task.Delay(timeout, time, limit.Token);
        var woken = wake.Reader.WaitToReadAsync(limit.Token).AsTask();
        await Task.WhenAny(delay, woken);
        await limit.CancelAsync();
        wake.Reader.TryRead(out _);
        cancellationToken.ThrowIfCancellationRequested();
    }
}

using System.Threading.Channels;

namespace Blog.Digests;

/// <summary>Wakes the digest sender when a run has just been planned, instead of letting it wait for its next look.</summary>
public sealed class DigestSignal
{
    private readonly Channel<bool> wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    public void Wake() => wake.Writer.TryWrite(true);

    internal async Task WaitAsync(TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken)
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

using System.Buffers;

namespace Blog.Feeds;

/// <summary>
/// One file of the output tree: its path below the output root (forward slashes) and its bytes. A document the
/// writers made holds a pooled buffer; disposing it after writing hands the buffer to the next document, so a
/// build of thousands of files does not touch (and page-fault in) fresh memory for every one.
/// </summary>
public sealed class FeedDocument : IDisposable
{
    private byte[]? pooled;

    public FeedDocument(string path, byte[] bytes)
    {
        Path = path;
        Bytes = bytes;
    }

    private FeedDocument(string path, byte[] pooled, int length)
    {
        Path = path;
        this.pooled = pooled;
        Bytes = pooled.AsMemory(0, length);
    }

    public string Path { get; }

    public ReadOnlyMemory<byte> Bytes { get; private set; }

    /// <summary>When what the document shows last changed for readers: the newest update of its posts; null when it shows none.</summary>
    public DateTimeOffset? LastModified { get; init; }

    /// <summary>Whether <paramref name="other"/> holds the same bytes: a rebuilt document that does not keeps its old version.</summary>
    public bool SameBytes(FeedDocument? other) =>
        ReferenceEquals(other, this) || (other is not null && other.Bytes.Span.SequenceEqual(Bytes.Span));

    internal static FeedDocument Pooled(string path, ReadOnlySpan<byte> content)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(content.Length);
        content.CopyTo(buffer);
        return new FeedDocument(path, buffer, content.Length);
    }

    public void Dispose()
    {
        if (pooled is null) return;
        Bytes = ReadOnlyMemory<byte>.Empty;
        ArrayPool<byte>.Shared.Return(pooled);
        pooled = null;
    }
}

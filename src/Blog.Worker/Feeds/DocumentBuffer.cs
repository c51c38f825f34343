namespace Blog.Feeds;

/// <summary>
/// A per-thread buffer the writers serialise into. A fresh MemoryStream per document grows by doubling through the
/// large-object heap; on a build of thousands of posts that zeroing and copying cost more than the writing itself.
/// </summary>
internal static class DocumentBuffer
{
    [ThreadStatic]
    private static MemoryStream? current;

    /// <summary>Runs <paramref name="write"/> against an empty reused stream; returns a document of exactly the bytes it wrote.</summary>
    public static FeedDocument Capture(string path, Action<Stream> write)
    {
        var stream = current ??= new MemoryStream(1 << 20);
        stream.SetLength(0);
        write(stream);
        var document = FeedDocument.Pooled(path, stream.GetBuffer().AsSpan(0, (int)stream.Length));
        if (stream.Capacity > 64 << 20) current = null; // do not keep a freak document's buffer alive
        return document;
    }
}

using System.Collections.Frozen;
using System.Runtime.InteropServices;
using Blog.Feeds;
using Blog.Site;
using Blog.Templates;

namespace Blog.Serving;

/// <summary>
/// The site the HTTP endpoint serves: swaps in each build it is handed, whole. A document the build kept from the
/// pass before keeps its served version (ETag, compressed forms); only new documents are prepared.
/// </summary>
public sealed partial class LiveSite(SiteHolder holder, IOptions<SiteOptions> site, IndexPage indexPage, ILogger<LiveSite> logger)
{
    private const int IndexPosts = 50;

    // The served version of each build document, so an unchanged one is neither hashed nor compressed again.
    private Dictionary<FeedDocument, ServedDocument> served = new(ReferenceEqualityComparer.Instance);

    public PublishedSite Current => holder.Current;

    /// <summary>Serves <paramref name="build"/> from now on; the store is readable again, and the output error stays until told otherwise.</summary>
    public void Show(FeedBuild build)
    {
        var next = new Dictionary<FeedDocument, ServedDocument>(build.Documents.Count, ReferenceEqualityComparer.Instance);
        var documents = new Dictionary<string, ServedDocument>(build.Documents.Count + 1, StringComparer.Ordinal);
        foreach (var (path, document) in build.Documents)
        {
            if (!served.TryGetValue(document, out var version))
                version = new ServedDocument(path, Array(document.Bytes), ContentTypes.Of(path), document.LastModified);
            next[document] = version;
            documents[path] = version;
        }
        served = next;

        // The index page is served only: the output folder may hold the owner's own index.html.
        if (Index(build) is { } index) documents[""] = index;

        holder.Publish(new PublishedSite(documents.ToFrozenDictionary(StringComparer.Ordinal), build.BuiltAt, build.Published.Length,
            build.Snapshot.Problems, null, holder.Current.OutputError));
    }

    /// <summary>The build's own array when the document is exactly one (as the pipeline keeps them): a 10,000-post blog's feeds are not held twice.</summary>
    private static byte[] Array(ReadOnlyMemory<byte> bytes) =>
        MemoryMarshal.TryGetArray(bytes, out var segment) && segment.Offset == 0 && segment.Count == segment.Array!.Length ? segment.Array : bytes.ToArray();

    private ServedDocument? Index(FeedBuild build)
    {
        holder.Current.Documents.TryGetValue("", out var old);
        byte[] bytes;
        try
        {
            bytes = indexPage.Render(site.Value, build.Published, build.Set.Feeds.Skip(1).Select(f => f.Scope), IndexPosts);
        }
        catch (TemplateException e)
        {
            // An owner's template that fails must not hold up the feeds: the last good page stays.
            Log.IndexFailed(logger, e.Message);
            return old;
        }
        // Same bytes, same version: same ETag.
        if (old is not null && old.Bytes.AsSpan().SequenceEqual(bytes)) return old;
        return new ServedDocument("", bytes, ContentTypes.Html, build.Published.IsEmpty ? null : build.Published.Max(p => p.Updated));
    }

    /// <summary>Records that the post folder cannot be read; the last good site stays served.</summary>
    public void ReportStoreError(string error) => holder.Publish(holder.Current.WithStoreError(error));

    /// <summary>Records why the output folder could not be written (null: it was); the site is served from memory regardless.</summary>
    public void ReportOutputError(string? error)
    {
        if (holder.Current.OutputError != error) holder.Publish(holder.Current.WithOutputError(error));
    }

    private static partial class Log
    {
        [LoggerMessage(LogEvents.LiveSite.IndexFailed, LogLevel.Error, "The index page could not be rendered ({Reason}); the last good one stays served")]
        public static partial void IndexFailed(ILogger logger, string reason);
    }
}

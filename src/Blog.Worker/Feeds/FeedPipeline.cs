using System.Collections.Concurrent;
using System.Diagnostics;
using Blog.Posts;
using Blog.Site;

namespace Blog.Feeds;

/// <summary>
/// The one way feeds are made, for <c>blog build</c> and <c>blog run</c> alike: plan which feeds exist, render the
/// posts they show, build their documents, and compare them with the last pass. It remembers what the last pass
/// made: a post is rendered once per version, and a feed is rebuilt only when the posts it lists changed, so an
/// edit costs the feeds it touches, not the blog. One pass at a time.
/// </summary>
public sealed class FeedPipeline(PublishedPosts posts, IOptions<SiteOptions> siteOptions, IOptions<FeedsOptions> feedOptions)
{
    private readonly Lock running = new();

    // Rendered content of the posts the last pass showed with content, by version (reference identity).
    private readonly Dictionary<Post, FeedContent> contents = new(ReferenceEqualityComparer.Instance);

    // The documents each feed or archive page last built, and what they were built from.
    private readonly Dictionary<string, Cached> cache = new(StringComparer.Ordinal);

    private ImmutableDictionary<string, FeedDocument> documents = ImmutableDictionary.Create<string, FeedDocument>(StringComparer.Ordinal);

    /// <summary>A pass that keeps what it builds (<c>blog run</c>): the next pass reuses and compares with it.</summary>
    public FeedBuild Run(PostSnapshot snapshot, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        lock (running) return RunLocked(snapshot, now, sink: null, cancellationToken);
    }

    /// <summary>
    /// A pass that keeps nothing (<c>blog build</c>): each document goes to <paramref name="sink"/> as soon as it is
    /// built, from several threads at once, and its pooled buffer is reused once the sink returns. Holding the whole
    /// tree (tens of MB on a large blog) only pays when a next pass compares with it. The build's
    /// <see cref="FeedBuild.Documents"/> is empty and <see cref="FeedBuild.Paths"/> names what the sink got; the
    /// pipeline forgets its previous pass, so the next one finds every document changed.
    /// </summary>
    public FeedBuild Stream(PostSnapshot snapshot, DateTimeOffset now, Action<FeedDocument> sink, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sink);
        lock (running) return RunLocked(snapshot, now, sink, cancellationToken);
    }

    private FeedBuild RunLocked(PostSnapshot snapshot, DateTimeOffset now, Action<FeedDocument>? sink, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var site = siteOptions.Value;
        var builder = new FeedBuilder(site, feedOptions.Value);
        var published = snapshot.Published(now);
        var set = builder.Plan(published);
        var plan = Stopwatch.GetElapsedTime(started);

        Render(set.PostsToRender(), site, cancellationToken);
        var render = Stopwatch.GetElapsedTime(started) - plan;

        // Rebuild only the documents whose list of posts (by version) is not the one cached.
        var next = new Dictionary<string, FeedDocument>(StringComparer.Ordinal);
        var stale = new List<(string Key, ImmutableArray<Post> Posts, int Extra, Func<IEnumerable<FeedDocument>> Build)>();
        foreach (var feed in set.Feeds)
        {
            var extra = feed.Scope == FeedScope.Main ? set.Archive.Length : 0;
            Consider(feed.Scope.Folder, feed.Posts, extra, () => builder.Build(feed, contents, set.Archive.Length));
        }
        foreach (var page in set.Archive)
            Consider(page.Path, page.Posts, page.Count, () => [builder.BuildArchive(page)]);

        if (sink is not null) return Streamed(snapshot, now, builder, published, set, stale, sink, (plan, render), started, cancellationToken);

        var built = new ConcurrentBag<(string Key, ImmutableArray<Post> Posts, int Extra, FeedDocument[] Documents)>();
        Parallel.ForEach(stale, new ParallelOptions { CancellationToken = cancellationToken }, item =>
        {
            var newest = item.Posts.IsEmpty ? (DateTimeOffset?)null : item.Posts.Max(p => p.Updated);
            // The writers fill pooled buffers; what is kept for the next pass is an exact copy.
            var made = item.Build().Select(d =>
            {
                using (d) return new FeedDocument(d.Path, d.Bytes.ToArray()) { LastModified = newest };
            }).ToArray();
            built.Add((item.Key, item.Posts, item.Extra, made));
        });
        foreach (var (key, list, extra, made) in built)
        {
            cache[key] = new Cached(list, extra, made);
            foreach (var document in made) next[document.Path] = document;
        }
        var keys = set.Feeds.Select(f => f.Scope.Folder).Concat(set.Archive.Select(a => a.Path)).ToHashSet(StringComparer.Ordinal);
        foreach (var key in cache.Keys.Where(k => !keys.Contains(k)).ToList()) cache.Remove(key);
        if (builder.BuildStylesheet() is { } stylesheet) next[stylesheet.Path] = stylesheet;

        // A rebuilt document whose bytes did not change keeps its old version: same ETag, no write, no ping.
        var changed = ImmutableArray.CreateBuilder<FeedDocument>();
        var result = ImmutableDictionary.CreateBuilder<string, FeedDocument>(StringComparer.Ordinal);
        foreach (var (path, document) in next)
        {
            if (documents.TryGetValue(path, out var old) && old.SameBytes(document))
            {
                result[path] = old;
                continue;
            }
            result[path] = document;
            changed.Add(document);
        }
        var removed = documents.Keys.Where(k => !result.ContainsKey(k)).Order(StringComparer.Ordinal).ToImmutableArray();
        documents = result.ToImmutable();

        return new FeedBuild(snapshot, published, set, documents, changed.ToImmutable(), removed, now, snapshot.NextScheduled(now))
        {
            Paths = [.. documents.Keys.Order(StringComparer.Ordinal)],
            Phases = (plan, render, Stopwatch.GetElapsedTime(started) - plan - render),
        };

        void Consider(string key, ImmutableArray<Post> list, int extra, Func<IEnumerable<FeedDocument>> build)
        {
            // A streamed pass keeps no documents, so it has none to reuse either.
            if (sink is null && cache.TryGetValue(key, out var hit) && hit.Extra == extra && hit.Posts.AsSpan().SequenceEqual(list.AsSpan(), ReferenceEqualityComparer.Instance))
            {
                foreach (var document in hit.Documents) next[document.Path] = document;
                return;
            }
            stale.Add((key, list, extra, build));
        }
    }

    private FeedBuild Streamed(PostSnapshot snapshot, DateTimeOffset now, FeedBuilder builder, ImmutableArray<Post> published, FeedSet set,
        List<(string Key, ImmutableArray<Post> Posts, int Extra, Func<IEnumerable<FeedDocument>> Build)> stale, Action<FeedDocument> sink,
        (TimeSpan Plan, TimeSpan Render) phases, long started, CancellationToken cancellationToken)
    {
        // What this pass hands over is not kept, so nothing of the last pass may be reused or compared with after it.
        cache.Clear();
        documents = documents.Clear();

        var paths = new ConcurrentBag<string>();
        Parallel.ForEach(stale, new ParallelOptions { CancellationToken = cancellationToken }, item =>
        {
            foreach (var document in item.Build())
            {
                using (document) sink(document);
                paths.Add(document.Path);
            }
        });
        if (builder.BuildStylesheet() is { } stylesheet)
        {
            using (stylesheet) sink(stylesheet);
            paths.Add(stylesheet.Path);
        }

        return new FeedBuild(snapshot, published, set, documents, [], [], now, snapshot.NextScheduled(now))
        {
            Paths = [.. paths.Order(StringComparer.Ordinal)],
            Phases = (phases.Plan, phases.Render, Stopwatch.GetElapsedTime(started) - phases.Plan - phases.Render),
        };
    }

    private void Render(IReadOnlyList<Post> needed, SiteOptions site, CancellationToken cancellationToken)
    {
        var missing = needed.Where(p => !contents.ContainsKey(p)).ToList();
        var rendered = new ConcurrentBag<(Post, FeedContent)>();
        Parallel.ForEach(missing, new ParallelOptions { CancellationToken = cancellationToken }, post =>
        {
            // A post whose file vanished since it was read is listed without content until the next pass sees it gone.
            if (posts.Body(post) is { } markdown) rendered.Add((post, FeedContent.Render(markdown, site.PostUri(post.Slug))));
        });
        foreach (var (post, content) in rendered) contents[post] = content;
        var keep = needed.ToHashSet(ReferenceEqualityComparer.Instance);
        foreach (var old in contents.Keys.Where(p => !keep.Contains(p)).ToList()) contents.Remove(old);
    }

    private sealed record Cached(ImmutableArray<Post> Posts, int Extra, FeedDocument[] Documents);
}

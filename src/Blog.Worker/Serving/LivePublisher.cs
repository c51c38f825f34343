using System.Collections.Concurrent;
using System.Collections.Frozen;
using System.Diagnostics;
using Blog.Feeds;
using Blog.Subscriptions;
using Blog.Posts;
using Blog.Site;

namespace Blog.Serving;

/// <summary>
/// Keeps the served site and the output folder current for the running service. It remembers what the last update
/// made: a post is rendered once per version, and a feed is rebuilt only when the posts it lists changed, so an edit
/// costs the feeds it touches, not the blog. Not thread-safe: the refresh service calls it from one loop.
/// </summary>
public sealed class LivePublisher(PostCatalog catalog, IOptions<SiteOptions> siteOptions, IOptions<FeedsOptions> feedOptions,
    TimeProvider time, SiteHolder holder)
{
    private const int IndexPosts = 50;
    private readonly Dictionary<Post, FeedContent> contents = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<string, Cached> cache = new(StringComparer.Ordinal);
    private ImmutableDictionary<string, ServedDocument> served = ImmutableDictionary<string, ServedDocument>.Empty;

    // Set when a write failed: the next update writes every served document, not only the changed ones.
    private bool outputBehind;

    /// <param name="changedPaths">Files that changed, or null for a full rescan of the post folder.</param>
    public LiveUpdate Update(IReadOnlyCollection<string>? changedPaths, CancellationToken cancellationToken = default)
    {
        var started = Stopwatch.GetTimestamp();
        var site = siteOptions.Value;
        var options = feedOptions.Value;
        var marks = new List<(string, TimeSpan)>();
        void Mark(string phase) => marks.Add((phase, Stopwatch.GetElapsedTime(started)));
        catalog.Refresh(changedPaths, cancellationToken);
        var now = time.GetUtcNow();
        var snapshot = catalog.Snapshot();
        var published = snapshot.Published(now);
        Mark("refresh");
        var builder = new FeedBuilder(site, options);
        var set = builder.Plan(published);
        Mark("plan");

        Render(set.PostsToRender(), site, cancellationToken);
        Mark("render");

        // Work out which documents must be rebuilt: those whose list of posts (by version) is not the one cached.
        var next = new Dictionary<string, ServedDocument>(StringComparer.Ordinal);
        var stale = new List<(string Key, ImmutableArray<Post> Posts, int Extra, Func<IEnumerable<FeedDocument>> Build)>();
        foreach (var plan in set.Feeds)
        {
            var extra = plan.Scope == FeedScope.Main ? set.Archive.Length : 0;
            Consider(plan.Scope.Folder, plan.Posts, extra, () => builder.Build(plan, contents, set.Archive.Length));
        }
        foreach (var page in set.Archive)
            Consider(page.Path, page.Posts, page.Count, () => [builder.BuildArchive(page)]);

        var built = new ConcurrentBag<(string Key, ImmutableArray<Post> Posts, int Extra, ServedDocument[] Documents)>();
        Parallel.ForEach(stale, new ParallelOptions { CancellationToken = cancellationToken }, item =>
        {
            var documents = item.Build().Select(d =>
            {
                using (d) return new ServedDocument(d.Path, d.Bytes.ToArray(), ContentTypes.Of(d.Path), NewestUpdate(item.Posts));
            }).ToArray();
            built.Add((item.Key, item.Posts, item.Extra, documents));
        });
        foreach (var (key, posts, extra, documents) in built)
        {
            cache[key] = new Cached(posts, extra, documents);
            foreach (var document in documents) next[document.Path] = document;
        }
        var keys = set.Feeds.Select(f => f.Scope.Folder).Concat(set.Archive.Select(a => a.Path)).ToHashSet(StringComparer.Ordinal);
        foreach (var key in cache.Keys.Where(k => !keys.Contains(k)).ToList()) cache.Remove(key);

        if (builder.BuildStylesheet() is { } stylesheet)
            using (stylesheet) next[stylesheet.Path] = new ServedDocument(stylesheet.Path, stylesheet.Bytes.ToArray(), ContentTypes.Of(stylesheet.Path), null);
        next[""] = new ServedDocument("", IndexPage.Render(site, published, set.Feeds.Skip(1).Select(f => f.Scope), IndexPosts),
            ContentTypes.Html, published.IsEmpty ? null : published.Max(p => p.Updated));

        // A rebuilt document whose bytes did not change keeps its old version: same ETag, no write, no ping.
        var changed = ImmutableArray.CreateBuilder<ServedDocument>();
        var result = served.ToBuilder();
        foreach (var (path, document) in next)
        {
            if (served.TryGetValue(path, out var old) && old.SameBytes(document)) continue;
            result[path] = document;
            changed.Add(document);
        }
        var wanted = set.Paths().Append("").Append(FeedBuilder.StylesheetFile).ToHashSet(StringComparer.Ordinal);
        var removed = result.Keys.Where(k => !wanted.Contains(k)).ToImmutableArray();
        result.RemoveRange(removed);
        served = result.ToImmutable();
        Mark("build");

        // Serve first: readers should not wait for the disk.
        holder.Publish(new PublishedSite(served.ToFrozenDictionary(StringComparer.Ordinal), now, published.Length, snapshot.Problems, null,
            outputBehind ? holder.Current.OutputError : null, KnownTags.Of(set.Feeds.Select(f => f.Scope))));
        var servedAfter = Stopwatch.GetElapsedTime(started);

        // The index page is served only: the output folder may hold the owner's own index.html.
        var output = new OutputFolder(options.OutputPath);
        var written = new ConcurrentBag<ServedDocument>();
        var failures = new ConcurrentBag<OutputFailure>();
        var toWrite = outputBehind ? served.Values : changed;
        // Every document that can be written is: one that cannot (a name the file system refuses) holds up no other.
        Parallel.ForEach(toWrite.Where(d => d.Path.Length > 0), new ParallelOptions { CancellationToken = cancellationToken }, d =>
        {
            if (output.TryWrite(new FeedDocument(d.Path, d.Bytes), out var wrote) is { } failure) failures.Add(failure);
            else if (wrote) written.Add(d);
        });
        if ((!removed.IsEmpty || outputBehind) && output.TryPrune(set.Paths(), out _) is { } pruneFailure) failures.Add(pruneFailure);
        if (failures.IsEmpty)
        {
            if (outputBehind) holder.Publish(holder.Current.WithOutputError(null));
            outputBehind = false;
        }
        else
        {
            // Readers are served from memory meanwhile; the files catch up on a later update.
            outputBehind = true;
            holder.Publish(holder.Current.WithOutputError(output.Describe(failures)));
        }
        Mark("write");

        var previous = TimeSpan.Zero;
        var phases = string.Join(", ", marks.Select(m =>
        {
            var text = $"{m.Item1} {(m.Item2 - previous).TotalMilliseconds:0.0}";
            previous = m.Item2;
            return text;
        }));
        return new LiveUpdate(changed.ToImmutable(), [.. written.OrderBy(d => d.Path, StringComparer.Ordinal)], removed, snapshot.Problems,
            published.Length, snapshot.NextScheduled(now), Stopwatch.GetElapsedTime(started))
        {
            Phases = phases,
            ServedAfter = servedAfter,
            Snapshot = snapshot,
        };

        void Consider(string key, ImmutableArray<Post> posts, int extra, Func<IEnumerable<FeedDocument>> build)
        {
            if (cache.TryGetValue(key, out var hit) && hit.Extra == extra && hit.Posts.AsSpan().SequenceEqual(posts.AsSpan(), ReferenceEqualityComparer.Instance))
            {
                foreach (var document in hit.Documents) next[document.Path] = document;
                return;
            }
            stale.Add((key, posts, extra, build));
        }
    }

    /// <summary>Why the output folder could not be written at the last update, or null.</summary>
    public string? OutputError => holder.Current.OutputError;

    /// <summary>Records that the post folder cannot be read; the last good site stays served.</summary>
    public void ReportStoreError(string error) => holder.Publish(holder.Current.WithStoreError(error));

    private void Render(IReadOnlyList<Post> needed, SiteOptions site, CancellationToken cancellationToken)
    {
        var missing = needed.Where(p => !contents.ContainsKey(p)).ToList();
        var rendered = new ConcurrentBag<(Post, FeedContent)>();
        Parallel.ForEach(missing, new ParallelOptions { CancellationToken = cancellationToken }, post =>
        {
            if (FeedContent.Render(post, site) is { } content) rendered.Add((post, content));
        });
        foreach (var (post, content) in rendered) contents[post] = content;
        var keep = needed.ToHashSet(ReferenceEqualityComparer.Instance);
        foreach (var old in contents.Keys.Where(p => !keep.Contains(p)).ToList()) contents.Remove(old);
    }

    private static DateTimeOffset? NewestUpdate(ImmutableArray<Post> posts) => posts.IsEmpty ? null : posts.Max(p => p.Updated);

    private sealed record Cached(ImmutableArray<Post> Posts, int Extra, ServedDocument[] Documents);
}

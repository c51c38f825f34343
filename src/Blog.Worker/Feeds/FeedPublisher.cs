using System.Collections.Concurrent;
using System.Diagnostics;
using Blog.Posts;
using Blog.Site;

namespace Blog.Feeds;

/// <summary>One build of the output tree: read the store, render what the feeds show, write what changed.</summary>
public sealed class FeedPublisher(PostStore store, IOptions<SiteOptions> site, IOptions<FeedsOptions> feeds, TimeProvider time)
{
    public string OutputPath => feeds.Value.OutputPath;

    public PublishReport Publish(IProgress<string>? progress = null, CancellationToken cancellationToken = default)
    {
        var started = Stopwatch.GetTimestamp();
        var parallel = new ParallelOptions { CancellationToken = cancellationToken };

        var snapshot = store.Load(progress is null ? null : new Relay(n => progress.Report($"read {n} post files")), cancellationToken);
        var read = Stopwatch.GetElapsedTime(started);
        var now = time.GetUtcNow();
        var published = snapshot.Published(now);
        var builder = new FeedBuilder(site.Value, feeds.Value);
        var set = builder.Plan(published);

        var toRender = set.PostsToRender();
        progress?.Report($"rendering {toRender.Count} posts");
        var contents = new ConcurrentDictionary<Post, FeedContent>(ReferenceEqualityComparer.Instance);
        Parallel.ForEach(toRender, parallel, post =>
        {
            if (FeedContent.Render(post, site.Value) is { } content) contents[post] = content;
        });

        var render = Stopwatch.GetElapsedTime(started) - read;
        progress?.Report($"writing {set.Feeds.Length * FeedBuilder.FileNames.Length + set.Archive.Length} files");
        var output = new OutputFolder(OutputPath);
        var written = 0;
        var unchanged = 0;
        var failures = new ConcurrentBag<OutputFailure>();
        void Save(FeedDocument document)
        {
            using (document)
            {
                if (output.TryWrite(document, out var wrote) is { } failure) failures.Add(failure);
                else Interlocked.Increment(ref wrote ? ref written : ref unchanged);
            }
        }
        Parallel.ForEach(set.Feeds, parallel, plan =>
        {
            foreach (var document in builder.Build(plan, contents, set.Archive.Length)) Save(document);
        });
        Parallel.ForEach(set.Archive, parallel, page => Save(builder.BuildArchive(page)));
        if (builder.BuildStylesheet() is { } stylesheet) Save(stylesheet);
        if (output.TryPrune(set.Paths(), out var removed) is { } pruneFailure) failures.Add(pruneFailure);

        return new PublishReport(
            snapshot.Posts.Length + snapshot.Problems.Length,
            published.Length,
            set.Feeds.Length,
            set.Archive.Length,
            written,
            unchanged,
            removed,
            snapshot.Problems,
            snapshot.NextScheduled(now),
            Stopwatch.GetElapsedTime(started))
        {
            Phases = (read, render, Stopwatch.GetElapsedTime(started) - read - render),
            Failures = [.. failures.OrderBy(f => f.Path, StringComparer.Ordinal)],
        };
    }

    // Progress<T> posts to the thread pool, so its reports can arrive after the build has printed its summary.
    private sealed class Relay(Action<int> report) : IProgress<int>
    {
        public void Report(int value) => report(value);
    }
}

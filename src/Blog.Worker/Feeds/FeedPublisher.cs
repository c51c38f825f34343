using System.Diagnostics;
using Blog.Posts;

namespace Blog.Feeds;

/// <summary>
/// Publishes the feed tree, for both verbs: <see cref="Build"/> reads the posts and runs the one pipeline,
/// <see cref="Write"/> brings the output folder in line. <c>blog build</c> does both once (<see cref="Publish"/>);
/// the service serves each build before it writes it, so readers never wait for the disk.
/// </summary>
public sealed class FeedPublisher(PublishedPosts posts, FeedPipeline pipeline, OutputFolder output, TimeProvider time)
{
    public string OutputPath => output.Root;

    /// <summary>Why the output folder could not be written at the last write, or null.</summary>
    public string? OutputError => output.Error;

    /// <param name="changedPaths">Files that changed, or null for a full read of the post folder.</param>
    /// <exception cref="PostStoreException">The post folder cannot be read.</exception>
    public FeedBuild Build(IReadOnlyCollection<string>? changedPaths, IProgress<int>? progress = null, CancellationToken cancellationToken = default)
    {
        var snapshot = posts.Refresh(changedPaths, progress, cancellationToken);
        return pipeline.Run(snapshot, time.GetUtcNow(), cancellationToken);
    }

    public OutputReport Write(FeedBuild build, CancellationToken cancellationToken = default) => output.Write(build, cancellationToken: cancellationToken);

    /// <summary><c>blog build</c>: read every post, build, write, and say what was done.</summary>
    public PublishReport Publish(IProgress<string>? progress = null, CancellationToken cancellationToken = default)
    {
        var started = Stopwatch.GetTimestamp();
        var snapshot = posts.Refresh(null, progress is null ? null : new Relay(n => progress.Report($"read {n} post files")), cancellationToken);
        var read = Stopwatch.GetElapsedTime(started);
        progress?.Report("rendering, building and writing");
        // Each document is written as soon as it is built and then let go: nothing here compares with a next pass.
        // Each file is looked at: the folder may have changed since the last build.
        var (build, written) = output.Write(sink => pipeline.Stream(snapshot, time.GetUtcNow(), sink, cancellationToken), cancellationToken);
        var elapsed = Stopwatch.GetElapsedTime(started);
        var render = build.Phases.Plan + build.Phases.Render;

        return new PublishReport(
            snapshot.Posts.Length + snapshot.Problems.Length,
            build.Published.Length,
            build.Set.Feeds.Length,
            build.Set.Archive.Length,
            written.Written.Length,
            written.Unchanged,
            written.Removed,
            snapshot.Problems,
            build.NextScheduled,
            elapsed)
        {
            Phases = (read, render, elapsed - read - render),
            Failures = written.Failures,
        };
    }

    // Progress<T> posts to the thread pool, so its reports can arrive after the build has printed its summary.
    private sealed class Relay(Action<int> report) : IProgress<int>
    {
        public void Report(int value) => report(value);
    }
}

using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Blog.Feeds;

/// <summary>
/// The feeds' instruments (meter <c>Blog.Feeds</c>): feed requests answered, how long a build takes, and the posts
/// that could not be published. Counted in this process only: in a cluster, each node reports its own.
/// </summary>
public sealed class FeedMetrics
{
    public const string MeterName = "Blog.Feeds";

    private readonly Counter<long> requests;
    private readonly Histogram<double> builds;
    private int problems;
    private int posts;

    public FeedMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        requests = meter.CreateCounter<long>("blog.feed.requests", "{request}", "Feed documents answered, by format and status (200 sent, 304 not modified).");
        builds = meter.CreateHistogram<double>("blog.feed.build.duration", "s", "How long reading the posts and building the feeds took, by kind (full rescan or update of changed files).",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30] });
        meter.CreateObservableGauge("blog.posts.problems", () => Volatile.Read(ref problems), "{problem}", "Post files left out of the last build because of a problem (see blog check).");
        meter.CreateObservableGauge("blog.posts.published", () => Volatile.Read(ref posts), "{post}", "Posts published by the last build.");
    }

    /// <summary>A feed answered: <paramref name="format"/> is rss, atom or json; other documents are not counted.</summary>
    public void Request(string format, int status) =>
        requests.Add(1, new TagList { { "feed.format", format }, { "http.response.status_code", status } });

    /// <param name="full">A full rescan rather than an update of the files that changed.</param>
    public void Built(bool full, TimeSpan elapsed, int published, int problemCount)
    {
        builds.Record(elapsed.TotalSeconds, new KeyValuePair<string, object?>("blog.build.kind", full ? "full" : "update"));
        Volatile.Write(ref posts, published);
        Volatile.Write(ref problems, problemCount);
    }
}

using System.Collections.Concurrent;
using Blog.Feeds;
using Microsoft.Extensions.Options;

namespace Blog.Tests.Feeds;

public sealed class FeedPipelineTests
{
    private static readonly DateTimeOffset Now = new(2026, 6, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_streamed_pass_hands_over_each_document_once_with_the_bytes_a_kept_pass_builds_and_keeps_none_of_them()
    {
        using var folder = new TempFolder();
        folder.Write("posts/a.md", PostText.Of("A", "2026-01-01", extra: "tags: [x, y]"));
        folder.Write("posts/b.md", PostText.Of("B", "2026-01-02", extra: "tags: [y]"));
        var posts = TestSite.Posts(folder.Combine("posts"));
        var snapshot = posts.Refresh();
        var kept = Pipeline(posts, folder).Run(snapshot, Now);
        var streamer = Pipeline(posts, folder);

        var got = new ConcurrentDictionary<string, byte[]>(StringComparer.Ordinal);
        var handed = new ConcurrentBag<FeedDocument>();
        var build = streamer.Stream(snapshot, Now, document =>
        {
            Assert.True(got.TryAdd(document.Path, document.Bytes.ToArray()), $"{document.Path} handed over twice");
            handed.Add(document);
        });

        Assert.Empty(build.Documents);
        Assert.Equal<string>(kept.Paths, build.Paths);
        Assert.Equal(kept.Documents.Keys.Order(StringComparer.Ordinal), got.Keys.Order(StringComparer.Ordinal));
        foreach (var (path, document) in kept.Documents) Assert.True(document.Bytes.Span.SequenceEqual(got[path]), path);
        // Each pooled buffer went back once the sink had it (the stylesheet is one shared array, never pooled).
        Assert.All(handed.Where(d => d.Path != "feed.xsl"), d => Assert.True(d.Bytes.IsEmpty, d.Path));
        // Nothing is left to compare with: a kept pass after it finds every document new.
        var after = streamer.Run(snapshot, Now);
        Assert.Equal(after.Documents.Count, after.Changed.Length);
    }

    private static FeedPipeline Pipeline(Blog.Posts.PublishedPosts posts, TempFolder folder) =>
        new(posts, Options.Create(TestSite.Site()), Options.Create(new FeedsOptions { OutputPath = folder.Combine("out") }));
}

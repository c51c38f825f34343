using Blog.Posts;

namespace Blog.Tests.Posts;

public sealed class PostSnapshotTests
{
    private static Post P(string slug, string date, bool draft = false, string? id = null) =>
        new($"/c/{slug}.md", slug, id ?? $"tag:x,2026:{slug}", slug, DateTimeOffset.Parse(date, System.Globalization.CultureInfo.InvariantCulture),
            DateTimeOffset.Parse(date, System.Globalization.CultureInfo.InvariantCulture), null, [], draft);

    [Fact]
    public void Of_two_posts_with_one_slug_or_id_the_first_published_keeps_it_and_the_other_is_reported()
    {
        var a = P("a", "2026-01-01T00:00:00Z");
        var dupSlug = P("a", "2026-01-02T00:00:00Z", id: "tag:x,2026:other") with { SourcePath = "/c/b.md", SlugLine = 5 };
        var dupId = P("c", "2026-01-03T00:00:00Z", id: a.Id) with { SourcePath = "/c/c.md", IdLine = 6 };
        // A newer duplicate sorts first by path, but the established post keeps the slug and the id.
        var snapshot = PostSnapshot.Create([dupId with { SourcePath = "/a/c.md" }, dupSlug with { SourcePath = "/a/b.md" }, a], []);
        Assert.Equal([a], snapshot.Posts.ToArray());
        Assert.Collection(snapshot.Problems,
            p => Assert.Equal(("/a/b.md", 5, "slug", "a"), (p.Path, p.Line, p.Field, p.Value)),
            p => Assert.Equal(("/a/c.md", 6, "id", a.Id), (p.Path, p.Line, p.Field, p.Value)));
        Assert.Contains("/c/a.md", snapshot.Problems[0].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Published_leaves_out_drafts_and_future_posts_and_orders_newest_first()
    {
        var now = DateTimeOffset.Parse("2026-06-01T12:00:00Z", System.Globalization.CultureInfo.InvariantCulture);
        var old = P("old", "2026-01-01T00:00:00Z");
        var sameTimeB = P("b", "2026-05-01T00:00:00+02:00");
        var sameTimeA = P("a", "2026-04-30T22:00:00Z");
        var draft = P("draft", "2026-02-01T00:00:00Z", draft: true);
        var future = P("future", "2026-06-01T12:00:01Z");
        var exactlyNow = P("now", "2026-06-01T12:00:00Z");
        var snapshot = PostSnapshot.Create([old, sameTimeB, sameTimeA, draft, future, exactlyNow], []);

        Assert.Equal([exactlyNow, sameTimeA, sameTimeB, old], snapshot.Published(now).ToArray());
        Assert.Equal(future.Published, snapshot.NextScheduled(now));
        Assert.Null(snapshot.NextScheduled(future.Published));
    }
}

using Blog.Digests;
using Blog.Posts;
using Blog.Subscribers;

namespace Blog.Tests.Digests;

public sealed class DigestPlannerTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 2, 8, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan CoolOff = TimeSpan.FromMinutes(30);

    private static Post P(string slug, DateTimeOffset published, bool draft = false, DateTimeOffset? updated = null, params string[] tags) =>
        new($"/posts/{slug}.md", slug, $"tag:x,2026:{slug}", slug, published, updated ?? published, null, [.. tags], draft);

    private static Subscriber S(DateTimeOffset? confirmed, DateTimeOffset? watermark = null, SubscriberStatus status = SubscriberStatus.Active, params string[] tags) =>
        new(1, "a@example.com", status, [.. tags], "weekly", Now.AddDays(-30), confirmed, null, null, watermark, 0);

    private static ImmutableArray<Post> Published(params Post[] posts) =>
        [.. posts.Where(p => !p.Draft && p.Published <= Now).OrderByDescending(p => p.Published)];

    private static string[] Slugs(ImmutableArray<Post> posts) => [.. posts.Select(p => p.Slug)];

    [Fact]
    public void The_first_digest_holds_the_posts_published_after_confirming_oldest_first()
    {
        var posts = Published(P("before", Now.AddDays(-10)), P("one", Now.AddDays(-3)), P("two", Now.AddDays(-1)));
        Assert.Equal(["one", "two"], Slugs(DigestPlanner.Plan(Now, posts, S(confirmed: Now.AddDays(-5)), CoolOff)));
    }

    [Fact]
    public void Later_digests_hold_the_posts_after_the_watermark_and_an_edit_never_sends_a_post_again()
    {
        var posts = Published(P("sent", Now.AddDays(-3), updated: Now.AddHours(-2)), P("new", Now.AddDays(-1)));
        Assert.Equal(["new"], Slugs(DigestPlanner.Plan(Now, posts, S(Now.AddDays(-5), watermark: Now.AddDays(-3)), CoolOff)));
    }

    [Fact]
    public void Only_the_subscribers_tags_count_when_they_chose_any()
    {
        var posts = Published(P("rag", Now.AddDays(-2), tags: "RAG"), P("evals", Now.AddDays(-1), tags: "evals"), P("none", Now.AddHours(-5)));
        Assert.Equal(["rag"], Slugs(DigestPlanner.Plan(Now, posts, S(Now.AddDays(-5), tags: "rag"), CoolOff)));
        Assert.Equal(["rag", "evals", "none"], Slugs(DigestPlanner.Plan(Now, posts, S(Now.AddDays(-5)), CoolOff)));
    }

    [Fact]
    public void A_post_is_mailed_only_once_it_has_been_public_for_the_cool_off()
    {
        var posts = Published(P("old", Now.AddHours(-2)), P("fresh", Now.AddMinutes(-29)), P("edge", Now.AddMinutes(-30)));
        Assert.Equal(["old", "edge"], Slugs(DigestPlanner.Plan(Now, posts, S(Now.AddDays(-1)), CoolOff)));
    }

    [Fact]
    public void Drafts_future_posts_and_anyone_not_active_get_nothing()
    {
        Post[] all = [P("draft", Now.AddDays(-1), draft: true), P("future", Now.AddDays(1))];
        Assert.Empty(DigestPlanner.Plan(Now, [.. all], S(Now.AddDays(-5)), CoolOff));
        var posts = Published(P("one", Now.AddDays(-1)));
        Assert.Empty(DigestPlanner.Plan(Now, posts, S(Now.AddDays(-5), status: SubscriberStatus.Pending), CoolOff));
        Assert.Empty(DigestPlanner.Plan(Now, posts, S(Now.AddDays(-5), status: SubscriberStatus.Unsubscribed), CoolOff));
        Assert.Empty(DigestPlanner.Plan(Now, posts, S(confirmed: null), CoolOff));
    }
}

using Blog.Digests;
using Blog.Posts;
using Blog.MailingList;

namespace Blog.Tests.Digests;

public sealed class DigestPlannerTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 2, 8, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan CoolOff = TimeSpan.FromMinutes(30);

    private static Post P(string slug, DateTimeOffset published, bool draft = false, DateTimeOffset? updated = null, params string[] tags) =>
        new($"/posts/{slug}.md", slug, $"tag:x,2026:{slug}", slug, published, updated ?? published, null, [.. tags], draft);

    private static Subscriber S(DateTimeOffset? confirmed, DateTimeOffset? watermark = null, SubscriberStatus status = SubscriberStatus.Active, params string[] tags) =>
        new(1, "a@example.com", status, [.. tags], "weekly", Now.AddDays(-30), confirmed, null, null, watermark, 0);

    /// <summary>Each post public since its own date, unless <paramref name="since"/> says when it was first seen.</summary>
    private static ImmutableArray<PublicPost> Public(Post[] posts, params (string Slug, DateTimeOffset Since)[] since) =>
        PublicPost.NewestFirst(posts.Where(p => !p.Draft && p.Published <= Now),
            since.ToDictionary(s => posts.Single(p => p.Slug == s.Slug).Id, s => s.Since));

    private static string[] Slugs(DigestPlan plan) => [.. plan.Posts.Select(p => p.Slug)];

    private static DigestPlan Plan(ImmutableArray<PublicPost> posts, Subscriber subscriber, int max = 50, DateTimeOffset? now = null) =>
        DigestPlanner.Plan(now ?? Now, posts, subscriber, CoolOff, max);

    [Fact]
    public void The_first_digest_holds_the_posts_public_since_confirming_oldest_first()
    {
        var posts = Public([P("before", Now.AddDays(-10)), P("one", Now.AddDays(-3)), P("two", Now.AddDays(-1))]);
        Assert.Equal(["one", "two"], Slugs(Plan(posts, S(confirmed: Now.AddDays(-5)))));
    }

    [Fact]
    public void Later_digests_hold_the_posts_after_the_watermark_and_an_edit_never_sends_a_post_again()
    {
        var posts = Public([P("sent", Now.AddDays(-3), updated: Now.AddHours(-2)), P("new", Now.AddDays(-1))]);
        var plan = Plan(posts, S(Now.AddDays(-5), watermark: Now.AddDays(-3)));
        Assert.Equal(["new"], Slugs(plan));
        Assert.Equal(Now.AddDays(-1), plan.Watermark);
    }

    [Fact]
    public void A_draft_written_before_the_last_digest_and_published_after_it_is_mailed()
    {
        // Written (and dated) Monday, Tuesday's post went out, published Thursday.
        var monday = Now.AddDays(-4);
        var tuesday = Now.AddDays(-3);
        var thursday = Now.AddDays(-1);
        var posts = Public([P("draft", monday), P("tuesday", tuesday)], ("draft", thursday), ("tuesday", tuesday));
        var plan = Plan(posts, S(Now.AddDays(-10), watermark: tuesday));
        Assert.Equal(["draft"], Slugs(plan));
        Assert.Equal(thursday, plan.Watermark);
    }

    [Fact]
    public void A_post_given_an_older_date_on_purpose_is_mailed_when_it_becomes_public()
    {
        var posts = Public([P("backdated", Now.AddYears(-2)), P("sent", Now.AddDays(-2))], ("backdated", Now.AddHours(-1)));
        Assert.Equal(["backdated"], Slugs(Plan(posts, S(Now.AddDays(-10), watermark: Now.AddDays(-2)))));
    }

    [Fact]
    public void A_post_fixed_after_newer_posts_were_mailed_is_mailed_once_it_is_public()
    {
        // Broken (so never public) when the run that mailed "newer" was planned; fixed an hour ago.
        var posts = Public([P("fixed", Now.AddDays(-3)), P("newer", Now.AddDays(-2))], ("fixed", Now.AddHours(-1)));
        Assert.Equal(["fixed"], Slugs(Plan(posts, S(Now.AddDays(-10), watermark: Now.AddDays(-2)))));
    }

    [Fact]
    public void The_cool_off_counts_from_when_a_post_became_public_not_from_its_date()
    {
        // Flipped from draft ten minutes ago, dated three days back: not yet; after the cool-off, yes.
        var posts = Public([P("undrafted", Now.AddDays(-3))], ("undrafted", Now.AddMinutes(-10)));
        Assert.True(Plan(posts, S(Now.AddDays(-10))).IsEmpty);
        Assert.Equal(["undrafted"], Slugs(Plan(posts, S(Now.AddDays(-10)), now: Now.AddMinutes(20))));
    }

    [Fact]
    public void Only_the_subscribers_tags_count_when_they_chose_any()
    {
        var posts = Public([P("rag", Now.AddDays(-2), tags: "RAG"), P("evals", Now.AddDays(-1), tags: "evals"), P("none", Now.AddHours(-5))]);
        Assert.Equal(["rag"], Slugs(Plan(posts, S(Now.AddDays(-5), tags: "rag"))));
        Assert.Equal(["rag", "evals", "none"], Slugs(Plan(posts, S(Now.AddDays(-5)))));
    }

    [Fact]
    public void A_post_is_mailed_only_once_it_has_been_public_for_the_cool_off()
    {
        var posts = Public([P("old", Now.AddHours(-2)), P("fresh", Now.AddMinutes(-29)), P("edge", Now.AddMinutes(-30))]);
        Assert.Equal(["old", "edge"], Slugs(Plan(posts, S(Now.AddDays(-1)))));
    }

    [Fact]
    public void A_digest_lists_at_most_the_newest_max_posts_and_counts_the_rest_and_the_watermark_passes_them_all()
    {
        var all = Enumerable.Range(0, 7).Select(i => P($"p{i}", Now.AddDays(-7 + i))).ToArray();
        var plan = Plan(Public(all), S(Now.AddDays(-30)), max: 3);
        Assert.Equal(["p4", "p5", "p6"], Slugs(plan));
        Assert.Equal(4, plan.More);
        Assert.Equal(Now.AddDays(-1), plan.Watermark);
    }

    [Fact]
    public void Drafts_future_posts_and_anyone_not_active_get_nothing()
    {
        var none = PublicPost.NewestFirst([P("draft", Now.AddDays(-1), draft: true)], new Dictionary<string, DateTimeOffset>());
        Assert.True(Plan(none, S(Now.AddDays(-5))).IsEmpty);
        var posts = Public([P("one", Now.AddDays(-1)), P("future", Now.AddDays(1))]);
        Assert.Single(Plan(posts, S(Now.AddDays(-5))).Posts);
        Assert.True(Plan(posts, S(Now.AddDays(-5), status: SubscriberStatus.Pending)).IsEmpty);
        Assert.True(Plan(posts, S(Now.AddDays(-5), status: SubscriberStatus.Unsubscribed)).IsEmpty);
        Assert.True(Plan(posts, S(confirmed: null)).IsEmpty);
    }
}

using Blog.Feeds;
using Blog.Posts;

namespace Blog.Tests.Feeds;

public sealed class FeedPlannerTests
{
    internal static Post P(int day, params string[] tags) =>
        new($"/c/{day}.md", $"p{day}", $"tag:x,2026:p{day}", $"Post {day}", new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero).AddDays(day),
            new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero).AddDays(day), null, [.. tags], false);

    [Fact]
    public void The_main_feed_and_each_tag_feed_take_the_newest_n()
    {
        ImmutableArray<Post> posts = [P(5, "RAG", "evals"), P(4, "rag"), P(3, "evals"), P(2, "rag"), P(1, "Ops Notes")];
        var plans = FeedPlanner.Plan(posts, itemsPerFeed: 2);

        Assert.Equal([null, "evals", "ops-notes", "rag"], plans.Select(p => p.Scope.TagKey));
        Assert.Equal(["p5", "p4"], plans[0].Posts.Select(p => p.Slug));
        Assert.Equal(["p5", "p3"], plans[1].Posts.Select(p => p.Slug));
        Assert.Equal(["p1"], plans[2].Posts.Select(p => p.Slug));
        Assert.Equal(["p5", "p4"], plans[3].Posts.Select(p => p.Slug));
        // The newest post's spelling names a tag; the key folds case.
        Assert.Equal("RAG", plans[3].Scope.TagName);
        Assert.Equal("tags/rag/", plans[3].Scope.Folder);
        Assert.Equal("", plans[0].Scope.Folder);
    }

    [Fact]
    public void A_post_listing_two_spellings_of_one_tag_appears_once()
    {
        var plans = FeedPlanner.Plan([P(1, "LLM Ops", "llm-ops")], 10);
        Assert.Single(plans[1].Posts);
    }
}

using Blog.Feeds;
using Blog.Posts;

namespace Blog.Tests.Feeds;

public sealed class ArchivePagerTests
{
    private static ImmutableArray<Post> NewestFirst(int count) => [.. Enumerable.Range(1, count).Reverse().Select(d => FeedPlannerTests.P(d))];

    [Fact]
    public void Pages_count_from_the_oldest_post_and_list_newest_first()
    {
        var pages = ArchivePager.Pages(NewestFirst(7), pageSize: 3);
        Assert.Equal([1, 2, 3], pages.Select(p => p.Number));
        Assert.All(pages, p => Assert.Equal(3, p.Count));
        Assert.Equal(["p3", "p2", "p1"], pages[0].Posts.Select(p => p.Slug));
        Assert.Equal(["p6", "p5", "p4"], pages[1].Posts.Select(p => p.Slug));
        Assert.Equal(["p7"], pages[2].Posts.Select(p => p.Slug));
        Assert.Equal("archive/2.xml", pages[1].Path);
    }

    [Fact]
    public void A_full_page_keeps_its_posts_when_new_posts_arrive()
    {
        var before = ArchivePager.Pages(NewestFirst(6), 3);
        var after = ArchivePager.Pages(NewestFirst(8), 3);
        Assert.Equal(before[0].Posts.ToArray(), after[0].Posts.ToArray());
        Assert.Equal(before[1].Posts.ToArray(), after[1].Posts.ToArray());
        Assert.Equal(3, after.Length);
    }

    [Fact]
    public void No_posts_or_size_zero_means_no_archive()
    {
        Assert.Empty(ArchivePager.Pages([], 3));
        Assert.Empty(ArchivePager.Pages(NewestFirst(4), 0));
    }
}

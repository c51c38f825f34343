using Blog.Posts;

namespace Blog.Feeds;

/// <summary>
/// Cuts the whole history into archive pages counted from the oldest post, so a full page keeps its posts
/// (and its bytes) as new posts arrive; only the newest page fills up. Pure.
/// </summary>
public static class ArchivePager
{
    public static ImmutableArray<ArchivePage> Pages(ImmutableArray<Post> publishedNewestFirst, int pageSize)
    {
        if (pageSize <= 0 || publishedNewestFirst.IsEmpty) return [];
        var count = (publishedNewestFirst.Length + pageSize - 1) / pageSize;
        var pages = ImmutableArray.CreateBuilder<ArchivePage>(count);
        for (var number = 1; number <= count; number++)
        {
            // Oldest-first index range [from, to) of this page, then listed newest first like any feed.
            var from = (number - 1) * pageSize;
            var to = Math.Min(from + pageSize, publishedNewestFirst.Length);
            var posts = ImmutableArray.CreateBuilder<Post>(to - from);
            for (var i = to - 1; i >= from; i--)
                posts.Add(publishedNewestFirst[publishedNewestFirst.Length - 1 - i]);
            pages.Add(new ArchivePage(number, count, posts.MoveToImmutable()));
        }
        return pages.MoveToImmutable();
    }
}

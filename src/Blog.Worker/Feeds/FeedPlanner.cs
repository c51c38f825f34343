using Blog.Posts;

namespace Blog.Feeds;

/// <summary>Decides which feeds exist and which posts each carries. Pure.</summary>
public static class FeedPlanner
{
    /// <param name="publishedNewestFirst">Published posts, newest first (see <see cref="PostSnapshot.Published"/>).</param>
    public static ImmutableArray<FeedPlan> Plan(ImmutableArray<Post> publishedNewestFirst, int itemsPerFeed)
    {
        var byTag = new Dictionary<string, (string Name, ImmutableArray<Post>.Builder Posts)>(StringComparer.Ordinal);
        foreach (var post in publishedNewestFirst)
        {
            for (var t = 0; t < post.Tags.Length; t++)
            {
                var (tag, key) = (post.Tags[t], post.TagKeys[t]);
                if (!byTag.TryGetValue(key, out var entry))
                {
                    // The spelling on the newest post names the tag.
                    entry = (tag, ImmutableArray.CreateBuilder<Post>());
                    byTag.Add(key, entry);
                }
                if (entry.Posts.Count < itemsPerFeed && (entry.Posts.Count == 0 || !ReferenceEquals(entry.Posts[^1], post)))
                    entry.Posts.Add(post);
            }
        }

        var plans = ImmutableArray.CreateBuilder<FeedPlan>(byTag.Count + 1);
        plans.Add(new FeedPlan(FeedScope.Main, [.. publishedNewestFirst.Take(itemsPerFeed)]));
        foreach (var (key, (name, posts)) in byTag.OrderBy(t => t.Key, StringComparer.Ordinal))
            plans.Add(new FeedPlan(FeedScope.ForTag(key, name), posts.ToImmutable()));
        return plans.MoveToImmutable();
    }
}

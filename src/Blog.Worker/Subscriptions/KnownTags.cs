using Blog.Feeds;
using Blog.Posts;

namespace Blog.Subscriptions;

/// <summary>
/// The tags a subscriber may choose: those of the published posts, as the feeds name them. The running service's
/// are those of the posts its refresh loop read last; a CLI command reads the post folder once, when it first needs them.
/// </summary>
public sealed class KnownTags(Func<ImmutableArray<FeedScope>> source)
{
    public ImmutableArray<FeedScope> Current => source();

    /// <summary>The tag scopes among <paramref name="scopes"/>, by name.</summary>
    public static ImmutableArray<FeedScope> Of(IEnumerable<FeedScope> scopes) => FeedScope.TagsOf(scopes);

    public static KnownTags From(PublishedPosts posts, TimeProvider time)
    {
        // Worked out again only when the posts changed or a scheduled post went live: the sign-up page asks on every request.
        (PostSnapshot Snapshot, DateTimeOffset? Until, ImmutableArray<FeedScope> Tags)? last = null;
        var gate = new Lock();
        return new KnownTags(() =>
        {
            PostSnapshot? snapshot;
            try
            {
                // Live, the refresh loop reads the folder; before its first pass there are no tags yet.
                snapshot = posts.Latest ?? (posts.Live ? null : posts.Refresh());
            }
            catch (PostStoreException)
            {
                // No posts, no tags: choosing one is then refused with the (empty) list, which says what is wrong.
                return [];
            }
            if (snapshot is null) return [];
            var now = time.GetUtcNow();
            lock (gate)
            {
                if (last is { } hit && ReferenceEquals(hit.Snapshot, snapshot) && (hit.Until is null || now < hit.Until)) return hit.Tags;
                var tags = Of(FeedPlanner.Plan(snapshot.Published(now), itemsPerFeed: 1).Select(p => p.Scope));
                last = (snapshot, snapshot.NextScheduled(now), tags);
                return tags;
            }
        });
    }
}

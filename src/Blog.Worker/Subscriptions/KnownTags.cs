using Blog.Feeds;
using Blog.Posts;

namespace Blog.Subscriptions;

/// <summary>
/// The tags a subscriber may choose: those of the published posts. The running service reads them from the site it
/// serves; a CLI command reads the post folder once, when it first needs them.
/// </summary>
public sealed class KnownTags(Func<ImmutableArray<FeedScope>> source)
{
    public ImmutableArray<FeedScope> Current => source();

    /// <summary>The tag scopes among <paramref name="scopes"/>, by name.</summary>
    public static ImmutableArray<FeedScope> Of(IEnumerable<FeedScope> scopes) =>
        [.. scopes.Where(s => s.TagKey is not null).OrderBy(s => s.TagName, StringComparer.OrdinalIgnoreCase).ThenBy(s => s.TagKey, StringComparer.Ordinal)];

    public static KnownTags FromPosts(PostStore store, TimeProvider time)
    {
        var tags = new Lazy<ImmutableArray<FeedScope>>(() =>
        {
            try
            {
                var published = store.Load().Published(time.GetUtcNow());
                return Of(FeedPlanner.Plan(published, itemsPerFeed: 1).Select(p => p.Scope));
            }
            catch (PostStoreException)
            {
                // No posts, no tags: choosing one is then refused with the (empty) list, which says what is wrong.
                return [];
            }
        });
        return new KnownTags(() => tags.Value);
    }
}

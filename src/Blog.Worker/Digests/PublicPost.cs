using Blog.Posts;

namespace Blog.Digests;

/// <summary>
/// A published post and when it was first seen public (<see cref="IPublicationLog"/>): digests plan and cool off on
/// that time, so a draft published late, a back-dated post or a file fixed after newer posts went out is still new
/// to every subscriber. The post's own date stays what feeds and the digest show.
/// </summary>
public sealed record PublicPost(Post Post, DateTimeOffset Since)
{
    /// <summary>
    /// Newest first by <see cref="Since"/>, as <see cref="DigestPlanner"/> reads them. A post missing from
    /// <paramref name="since"/> (not recorded yet) is taken at its own date.
    /// </summary>
    public static ImmutableArray<PublicPost> NewestFirst(IEnumerable<Post> published, IReadOnlyDictionary<string, DateTimeOffset> since) =>
    [
        .. published.Select(p => new PublicPost(p, since.TryGetValue(p.Id, out var seen) ? seen : p.Published))
            .OrderByDescending(p => p.Since.UtcTicks).ThenByDescending(p => p.Post.Published.UtcTicks).ThenBy(p => p.Post.Id, StringComparer.Ordinal),
    ];
}

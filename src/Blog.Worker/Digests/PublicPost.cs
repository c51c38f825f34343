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
    /// What the publication log knows a post by: its id, but for a tag URI (every id the blog makes, and most set by
    /// hand) without the authority, the host of <c>Site:Url</c>. A blog that moves to another host (or adds
    /// <c>www.</c>) keeps its posts' record, instead of every post becoming new and mailed again.
    /// </summary>
    public static string LogKey(Post post)
    {
        var id = post.Id;
        if (!id.StartsWith("tag:", StringComparison.Ordinal)) return id;
        var comma = id.IndexOf(',', StringComparison.Ordinal);
        return comma < 0 ? id : "tag:" + id[(comma + 1)..];
    }

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

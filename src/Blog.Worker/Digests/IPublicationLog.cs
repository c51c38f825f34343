using Blog.Posts;

namespace Blog.Digests;

/// <summary>
/// When each post id was first seen published, kept in the database the digests use, one row per id, written once and
/// shared by every node. Digests plan and cool off on it (<see cref="PublicPost"/>).
/// </summary>
public interface IPublicationLog
{
    /// <summary>
    /// Records every post of <paramref name="published"/> not seen before as public from <paramref name="now"/>, and
    /// returns when each was first seen. The first time the log is used (a new install, or one upgraded from before the
    /// log existed) the posts already published are taken at their own dates, so an upgrade mails no back catalogue.
    /// A post seen public for less than <paramref name="coolOff"/> and missing from <paramref name="published"/> was
    /// pulled back before any digest could carry it: it is forgotten, and new again when it comes back.
    /// Posts are known by <see cref="PublicPost.LogKey"/>; the answer is by <see cref="Post.Id"/>.
    /// </summary>
    Task<IReadOnlyDictionary<string, DateTimeOffset>> ObserveAsync(IReadOnlyCollection<Post> published, DateTimeOffset now, TimeSpan coolOff,
        CancellationToken cancellationToken);
}

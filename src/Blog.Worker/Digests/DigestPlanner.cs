using Blog.Posts;
using Blog.MailingList;

namespace Blog.Digests;

/// <summary>
/// Which posts a subscriber's next digest holds. Pure: a function of the time, the published posts and the subscriber.
/// </summary>
public static class DigestPlanner
{
    /// <param name="newestFirst">What readers see now, each with when it was first seen public (<see cref="PublicPost.NewestFirst"/>).</param>
    /// <param name="coolOff">How long a post must have been public before it is mailed: a post pulled back within it never is.</param>
    /// <param name="maxPosts">The most a mail carries: a subscriber back from a long pause gets the newest, and a link to the rest.</param>
    public static DigestPlan Plan(DateTimeOffset now, ImmutableArray<PublicPost> newestFirst, Subscriber subscriber, TimeSpan coolOff, int maxPosts)
    {
        if (subscriber.Status != SubscriberStatus.Active) return DigestPlan.Nothing;
        // The first digest starts at the confirmation; later ones after the newest post already sent. "New" is when a
        // post became public, not its own date or its last edit: an edit never sends a post again, and a post
        // published late with an early date is not lost behind newer ones.
        if ((subscriber.Watermark ?? subscriber.ConfirmedAt) is not { } after) return DigestPlan.Nothing;
        var cutoff = now - coolOff;
        var posts = ImmutableArray.CreateBuilder<Post>();
        DateTimeOffset? watermark = null;
        var more = 0;
        foreach (var (post, since) in newestFirst)
        {
            if (since <= after) break;
            if (post.Draft || since > cutoff) continue;
            if (!subscriber.Tags.IsEmpty && !post.TagKeys.Any(subscriber.Tags.Contains)) continue;
            watermark ??= since;
            if (posts.Count < maxPosts) posts.Add(post);
            else more++;
        }
        posts.Reverse();
        return posts.Count == 0 ? DigestPlan.Nothing : new DigestPlan(posts.ToImmutable(), more, watermark);
    }
}

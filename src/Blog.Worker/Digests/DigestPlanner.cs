using Blog.Posts;
using Blog.Subscribers;

namespace Blog.Digests;

/// <summary>
/// Which posts a subscriber's next digest holds. Pure: a function of the time, the published posts and the subscriber.
/// </summary>
public static class DigestPlanner
{
    /// <param name="publishedNewestFirst">What readers see now (<see cref="PostSnapshot.Published"/>): no drafts, nothing future-dated.</param>
    /// <param name="coolOff">How long a post must have been public before it is mailed: a post pulled back within it never is.</param>
    /// <returns>Oldest first, as a digest reads. Empty when nothing is new.</returns>
    public static ImmutableArray<Post> Plan(DateTimeOffset now, ImmutableArray<Post> publishedNewestFirst, Subscriber subscriber, TimeSpan coolOff)
    {
        if (subscriber.Status != SubscriberStatus.Active) return [];
        // The first digest starts at the confirmation; later ones after the newest post already sent. Published
        // times, not updated ones: an edit never sends a post again.
        if ((subscriber.Watermark ?? subscriber.ConfirmedAt) is not { } after) return [];
        var cutoff = now - coolOff;
        var posts = ImmutableArray.CreateBuilder<Post>();
        foreach (var post in publishedNewestFirst)
        {
            if (post.Published <= after) break;
            if (post.Draft || post.Published > cutoff) continue;
            if (!subscriber.Tags.IsEmpty && !post.TagKeys.Any(subscriber.Tags.Contains)) continue;
            posts.Add(post);
        }
        posts.Reverse();
        return posts.ToImmutable();
    }
}

using Blog.MailingList;
using Blog.Posts;
using MimeKit;

namespace Blog.Digests;

/// <summary>
/// A subscriber's next digest as it would be mailed now, for <c>blog digest preview</c> and the console alike: the
/// planner's choice of posts and the real message from <see cref="DigestMail"/>. It queues nothing, sends nothing and
/// moves no watermark; only the Message-ID differs, since the real one is minted per run.
/// </summary>
public sealed class DigestPreview(DigestRuns runs, DigestMail mail)
{
    /// <summary>The preview's Message-ID: in the reserved <c>.invalid</c> domain, so it can never be taken for a sent digest.</summary>
    public static string MessageId(long subscriberId) => $"preview.{subscriberId}@preview.invalid";

    /// <param name="published">The posts as published now (<see cref="PostSnapshot.Published"/>).</param>
    /// <returns>The plan, and the message unless the plan is empty (nothing new, or the subscriber is not active).</returns>
    public async Task<(DigestPlan Plan, MimeMessage? Message)> ComposeAsync(Subscriber subscriber, ImmutableArray<Post> published, DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        var plan = runs.Plan(now, await runs.PublicAsync(published, now, cancellationToken), subscriber);
        return (plan, plan.IsEmpty ? null : mail.Compose(subscriber, plan.Posts, MessageId(subscriber.Id), plan.More));
    }
}

using Blog.Posts;

namespace Blog.Digests;

/// <summary>What one subscriber's next digest holds.</summary>
/// <param name="Posts">Oldest first, as a digest reads; at most <see cref="DigestsOptions.MaxPosts"/>, the newest of them.</param>
/// <param name="More">New posts left out of the mail for its size; the mail links to the rest.</param>
/// <param name="Watermark">When the newest of them all became public: what the subscriber's watermark moves to once it is sent.</param>
public sealed record DigestPlan(ImmutableArray<Post> Posts, int More, DateTimeOffset? Watermark)
{
    public static readonly DigestPlan Nothing = new([], 0, null);

    public bool IsEmpty => Posts.IsEmpty;
}

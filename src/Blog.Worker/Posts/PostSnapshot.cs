using System.Runtime.InteropServices;

namespace Blog.Posts;

/// <summary>Every post the store could read, and every problem that kept a file out. Immutable.</summary>
public sealed class PostSnapshot
{
    private PostSnapshot(ImmutableArray<Post> posts, ImmutableArray<PostProblem> problems)
    {
        Posts = posts;
        Problems = problems;
    }

    /// <summary>Valid posts, drafts and future ones included, in source path order.</summary>
    public ImmutableArray<Post> Posts { get; }

    public ImmutableArray<PostProblem> Problems { get; }

    /// <summary>
    /// Builds a snapshot from parsed files. Of two posts that share a slug or an id, the one published first keeps it
    /// (then the first by path) and the other is reported: adding a post can never knock an established one out of
    /// the feeds, and the outcome never depends on the order files were read in.
    /// </summary>
    public static PostSnapshot Create(IEnumerable<Post> parsed, IEnumerable<PostProblem> problems)
    {
        var ordered = parsed.ToArray();
        var kept = ImmutableArray.CreateBuilder<Post>(ordered.Length);
        var found = problems.ToList();
        var slugs = new Dictionary<string, Post>(ordered.Length, StringComparer.Ordinal);
        var ids = new Dictionary<string, Post>(ordered.Length, StringComparer.Ordinal);
        Array.Sort(ordered, static (a, b) =>
        {
            var byDate = a.Published.UtcTicks.CompareTo(b.Published.UtcTicks);
            return byDate != 0 ? byDate : string.CompareOrdinal(a.SourcePath, b.SourcePath);
        });
        foreach (var post in ordered)
        {
            if (slugs.TryGetValue(post.Slug, out var first))
            {
                found.Add(new PostProblem(post.SourcePath, post.SlugLine, "slug", post.Slug, $"the slug is already used by {first.SourcePath}"));
                continue;
            }
            if (ids.TryGetValue(post.Id, out first))
            {
                found.Add(new PostProblem(post.SourcePath, post.IdLine, "id", post.Id, $"the id is already used by {first.SourcePath}"));
                continue;
            }
            slugs.Add(post.Slug, post);
            ids.Add(post.Id, post);
            kept.Add(post);
        }
        found.Sort((a, b) => (string.CompareOrdinal(a.Path, b.Path), a.Line.CompareTo(b.Line)) switch
        {
            (0, var byLine) => byLine,
            (var byPath, _) => byPath,
        });
        return new PostSnapshot(kept.DrainToImmutable(), [.. found]);
    }

    /// <summary>What readers may see at <paramref name="now"/>: no drafts, nothing future-dated; newest first.</summary>
    public ImmutableArray<Post> Published(DateTimeOffset now)
    {
        var visible = Posts.Where(p => !p.Draft && p.Published <= now).ToArray();
        Array.Sort(visible, NewestFirst.Instance);
        return ImmutableCollectionsMarshal.AsImmutableArray(visible);
    }

    /// <summary>The earliest time after <paramref name="now"/> at which a scheduled post becomes public, if any.</summary>
    public DateTimeOffset? NextScheduled(DateTimeOffset now) =>
        Posts.Where(p => !p.Draft && p.Published > now).Select(p => (DateTimeOffset?)p.Published).Min();

    private sealed class NewestFirst : IComparer<Post>
    {
        public static readonly NewestFirst Instance = new();

        public int Compare(Post? x, Post? y)
        {
            var byDate = y!.Published.UtcTicks.CompareTo(x!.Published.UtcTicks);
            return byDate != 0 ? byDate : string.CompareOrdinal(x.Slug, y.Slug);
        }
    }
}

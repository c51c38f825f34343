using Blog.Posts;

namespace Blog.Feeds;

/// <summary>Every document a build produces, before anything is rendered: the feeds and the archive pages.</summary>
public sealed record FeedSet(ImmutableArray<FeedPlan> Feeds, ImmutableArray<ArchivePage> Archive)
{
    /// <summary>The only posts whose Markdown needs rendering: those that appear in some feed with full content.</summary>
    public IReadOnlyList<Post> PostsToRender() =>
        [.. Feeds.SelectMany(f => f.Posts).Distinct<Post>(ReferenceEqualityComparer.Instance)];

    public IEnumerable<string> Paths() =>
        Feeds.SelectMany(f => FeedBuilder.FileNames.Append(FollowPageWriter.FileName).Select(name => f.Scope.Folder + name)).Concat(Archive.Select(a => a.Path));
}

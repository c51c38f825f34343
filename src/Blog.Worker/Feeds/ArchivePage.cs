using Blog.Posts;

namespace Blog.Feeds;

/// <summary>One RFC 5005 archive document: page <see cref="Number"/> of <see cref="Count"/>, 1 being the oldest.</summary>
public sealed record ArchivePage(int Number, int Count, ImmutableArray<Post> Posts)
{
    public static string PathOf(int number) => $"archive/{number}.xml";

    public string Path => PathOf(Number);
}

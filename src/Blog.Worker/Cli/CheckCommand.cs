using Blog.Posts;

namespace Blog.Cli;

internal static class CheckCommand
{
    public static int Run(PublishedPosts posts, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        PostSnapshot snapshot;
        try
        {
            snapshot = posts.Refresh(cancellationToken: cancellationToken);
        }
        catch (PostStoreException e)
        {
            stderr.WriteLine($"blog: {e.Message}");
            return BlogCli.Usage;
        }
        foreach (var problem in snapshot.Problems) stderr.WriteLine(problem);
        stdout.WriteLine($"checked {snapshot.Posts.Length + snapshot.Problems.Length} post files in {posts.ContentPath}: " +
            (snapshot.Problems.IsEmpty ? "no problems" : $"{snapshot.Problems.Length} problem(s)"));
        return snapshot.Problems.IsEmpty ? BlogCli.Ok : BlogCli.Problems;
    }
}

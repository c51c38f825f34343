using Blog.Posts;

namespace Blog.Tests.Posts;

public sealed class PostStoreTests
{
    [Fact]
    public void Reads_a_real_folder_recursively_and_reports_what_it_cannot_read()
    {
        using var folder = new TempFolder();
        folder.Write("posts/2026-01-01-first.md", PostText.Of("First", "2026-01-01"));
        folder.Write("posts/2026/nested.md", PostText.Of("Nested", "2026-01-02"));
        folder.Write("posts/notes.txt", "not a post");
        folder.Write("posts/broken.md", "---\ntitle: [\n---\n");
        folder.Write("posts/broken2.md", "---\ntitle: [unclosed\ndate: 2026-01-01\n---\n");
        File.CreateSymbolicLink(folder.Combine("posts", "dangling.md"), folder.Combine("nowhere.md"));

        var snapshot = TestSite.Store(folder.Combine("posts")).Load();

        Assert.Equal(["First", "Nested"], snapshot.Posts.Select(p => p.Title).Order());
        Assert.Equal(3, snapshot.Problems.Length);
        var unreadable = Assert.Single(snapshot.Problems, p => p.Path.EndsWith("dangling.md", StringComparison.Ordinal));
        Assert.Equal("(file)", unreadable.Field);
        Assert.Contains("cannot be read", unreadable.Message, StringComparison.Ordinal);
        Assert.Single(snapshot.Problems, p => p.Path.EndsWith("broken.md", StringComparison.Ordinal) && p.Field == "(yaml)");
        Assert.Single(snapshot.Problems, p => p.Path.EndsWith("broken2.md", StringComparison.Ordinal) && p.Field == "(yaml)");
    }

    [Fact]
    public void Reads_a_body_again_from_the_file()
    {
        using var folder = new TempFolder();
        folder.Write("posts/a.md", PostText.Of("A", "2026-01-01", "# Heading\r\n\r\nText"));
        var post = TestSite.Store(folder.Combine("posts")).Load().Posts.Single();
        Assert.Equal("\n# Heading\r\n\r\nText\n", PostStore.ReadBody(post));
        File.Delete(post.SourcePath);
        Assert.Null(PostStore.ReadBody(post));
    }
}

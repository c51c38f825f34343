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

        var snapshot = Load(TestSite.Store(folder.Combine("posts")));

        Assert.Equal(["First", "Nested"], snapshot.Posts.Select(p => p.Title).Order());
        Assert.Equal(3, snapshot.Problems.Length);
        var unreadable = Assert.Single(snapshot.Problems, p => p.Path.EndsWith("dangling.md", StringComparison.Ordinal));
        Assert.Equal("(file)", unreadable.Field);
        Assert.Contains("is a symbolic link", unreadable.Message, StringComparison.Ordinal);
        Assert.Single(snapshot.Problems, p => p.Path.EndsWith("broken.md", StringComparison.Ordinal) && p.Field == "(yaml)");
        Assert.Single(snapshot.Problems, p => p.Path.EndsWith("broken2.md", StringComparison.Ordinal) && p.Field == "(yaml)");
    }

    [Fact]
    public void Reads_a_body_again_from_the_file()
    {
        using var folder = new TempFolder();
        folder.Write("posts/a.md", PostText.Of("A", "2026-01-01", "# Heading\r\n\r\nText"));
        var store = TestSite.Store(folder.Combine("posts"));
        var post = Load(store).Posts.Single();
        Assert.Equal("\n# Heading\r\n\r\nText\n", store.ReadBody(post));
        File.Delete(post.SourcePath);
        Assert.Null(store.ReadBody(post));
    }

    // Every post is read through the catalogue, as the program reads them.
    private static PostSnapshot Load(PostStore store)
    {
        var catalog = new PostCatalog(store);
        catalog.Refresh();
        return catalog.Snapshot();
    }

    private const string Secret = "SIGNING-KEY-0123456789abcdef";

    [Fact]
    public void A_linked_post_file_is_a_problem_and_what_it_links_to_is_never_read()
    {
        using var folder = new TempFolder();
        folder.Write("posts/good.md", PostText.Of("Good", "2026-01-01"));
        var key = folder.Write("data/signing.key", Secret + "\n");
        var outside = folder.Write("elsewhere/outside.md", PostText.Of("Outside " + Secret, "2026-01-02", Secret));
        File.CreateSymbolicLink(folder.Combine("posts", "key.md"), key);
        File.CreateSymbolicLink(folder.Combine("posts", "outside.md"), outside);

        var snapshot = Load(TestSite.Store(folder.Combine("posts")));

        Assert.Equal(["Good"], snapshot.Posts.Select(p => p.Title));
        Assert.Equal(2, snapshot.Problems.Length);
        Assert.All(snapshot.Problems, p =>
        {
            Assert.Equal("(file)", p.Field);
            Assert.Equal("is a symbolic link; posts are read only from regular files", p.Message);
            Assert.DoesNotContain(Secret, p.ToString(), StringComparison.Ordinal);
        });
    }

    [Fact]
    public void Folder_links_are_not_walked_so_a_loop_ends_and_each_post_is_listed_once()
    {
        using var folder = new TempFolder();
        folder.Write("posts/a.md", PostText.Of("A", "2026-01-01"));
        folder.Write("posts/sub/b.md", PostText.Of("B", "2026-01-02"));
        folder.Write("outside/c.md", PostText.Of("C " + Secret, "2026-01-03"));
        Directory.CreateSymbolicLink(folder.Combine("posts", "loop"), ".");
        Directory.CreateSymbolicLink(folder.Combine("posts", "sub", "up"), "..");
        Directory.CreateSymbolicLink(folder.Combine("posts", "out"), folder.Combine("outside"));
        var store = TestSite.Store(folder.Combine("posts"));

        var snapshot = Load(store);

        Assert.Equal(["A", "B"], snapshot.Posts.Select(p => p.Title).Order());
        Assert.Empty(snapshot.Problems);
        Assert.Equal([folder.Combine("posts", "a.md"), folder.Combine("posts", "sub", "b.md")], store.List().Select(f => f.Path).Order(StringComparer.Ordinal));
        // A path through a folder link, as a watcher could name it, is not read either.
        var (post, problem) = store.Read(folder.Combine("posts", "out", "c.md"));
        Assert.Null(post);
        Assert.DoesNotContain(Secret, problem!.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_post_replaced_by_a_link_after_it_was_listed_is_not_read()
    {
        using var folder = new TempFolder();
        var path = folder.Write("posts/a.md", PostText.Of("A", "2026-01-01"));
        var outside = folder.Write("elsewhere/a.md", PostText.Of("A", "2026-01-01", Secret));
        var store = TestSite.Store(folder.Combine("posts"));
        var post = Load(store).Posts.Single();

        File.Delete(path);
        File.CreateSymbolicLink(path, outside);

        Assert.Null(store.ReadBody(post));
        var (again, problem) = store.Read(path);
        Assert.Null(again);
        Assert.Equal("is a symbolic link; posts are read only from regular files", problem!.Message);
    }

    [Fact]
    public void A_content_folder_that_is_itself_a_link_is_read_as_usual()
    {
        using var folder = new TempFolder();
        folder.Write("real/posts/a.md", PostText.Of("A", "2026-01-01", "Body of A"));
        Directory.CreateSymbolicLink(folder.Combine("linked"), folder.Combine("real"));
        var store = TestSite.Store(folder.Combine("linked", "posts"));

        var snapshot = Load(store);

        Assert.Empty(snapshot.Problems);
        var post = Assert.Single(snapshot.Posts);
        Assert.Equal(folder.Combine("linked", "posts", "a.md"), post.SourcePath);
        Assert.Contains("Body of A", store.ReadBody(post), StringComparison.Ordinal);
        Assert.Null(store.Read(post.SourcePath).Problem);
    }
}

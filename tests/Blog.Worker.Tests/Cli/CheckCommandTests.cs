namespace Blog.Tests.Cli;

/// <summary>`blog check` and `blog build` over a content folder that links to a secret, and an output tree with one blocked folder.</summary>
public sealed class CheckCommandTests
{
    private const string Secret = "SIGNING-KEY-0123456789abcdef";

    private static Task<(int Exit, string Out, string Err)> Blog(params string[] args) => BlogCommand.RunAsync(args);

    [Fact]
    public async Task Check_and_build_name_a_linked_post_and_never_show_or_publish_what_it_links_to()
    {
        using var folder = new TempFolder();
        folder.Write("posts/good.md", PostText.Of("Good", "2026-01-01"));
        var key = folder.Write("data/signing.key", Secret + "\n");
        var outside = folder.Write("elsewhere/post.md", PostText.Of("Outside", "2026-01-02", Secret));
        File.CreateSymbolicLink(folder.Combine("posts", "key.md"), key);
        File.CreateSymbolicLink(folder.Combine("posts", "outside.md"), outside);

        var (exit, stdout, stderr) = await Blog("check", "--content", folder.Combine("posts"));
        Assert.Equal(1, exit);
        Assert.Contains($"{folder.Combine("posts", "key.md")}: (file): is a symbolic link", stderr, StringComparison.Ordinal);
        Assert.Contains("2 problem(s)", stdout, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, stdout + stderr, StringComparison.Ordinal);

        (exit, stdout, stderr) = await Blog("build", "--content", folder.Combine("posts"), "--out", folder.Combine("out"));
        Assert.Equal(0, exit);
        Assert.DoesNotContain(Secret, stdout + stderr, StringComparison.Ordinal);
        foreach (var file in Directory.EnumerateFiles(folder.Combine("out"), "*", SearchOption.AllDirectories))
            Assert.DoesNotContain(Secret, File.ReadAllText(file), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Build_writes_every_file_it_can_and_names_each_one_it_cannot()
    {
        using var folder = new TempFolder();
        folder.Write("posts/a.md", PostText.Of("A", "2026-01-01", extra: "tags: [blocked, fine]"));
        folder.Write("out/tags/blocked", "a file where the tag's folder must go");

        var (exit, stdout, stderr) = await Blog("build", "--content", folder.Combine("posts"), "--out", folder.Combine("out"));

        Assert.NotEqual(0, exit);
        Assert.Contains($"blog: cannot write {Path.Combine(folder.Combine("out"), "tags/blocked/feed.xml")}: ", stderr, StringComparison.Ordinal);
        Assert.True(File.Exists(folder.Combine("out", "feed.xml")));
        Assert.True(File.Exists(folder.Combine("out", "tags", "fine", "atom.xml")));
        // The tag's three feeds and its follow page.
        Assert.Contains("4 not written", stdout, StringComparison.Ordinal);
    }
}

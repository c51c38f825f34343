using System.Net;
using System.Text.Json;

namespace Blog.Tests.Hosting;

/// <summary><c>blog run</c> on real files. The rescan is an hour away, so everything here is the watcher's doing.</summary>
public sealed class PostWatchingTests : IAsyncLifetime
{
    private readonly TempFolder folder = new();
    private RunningBlog blog = null!;

    private string Posts => folder.Combine("posts");

    public async Task InitializeAsync()
    {
        folder.Write("posts/keep.md", PostText.Of("Keep", "2026-01-01", extra: "tags: [other]"));
        folder.Write("posts/edit.md", PostText.Of("Before edit", "2026-01-02", extra: "tags: [shared]"));
        folder.Write("posts/gone.md", PostText.Of("To be deleted", "2026-01-03", extra: "tags: [lonely]"));
        blog = await RunningBlog.StartAsync(Posts, folder.Combine("out"), "--Posts:RescanInterval=01:00:00");
    }

    public async Task DisposeAsync()
    {
        await blog.DisposeAsync();
        folder.Dispose();
    }

    private Task<List<string>> Titles(string path = "feed.json") => blog.TitlesAsync(path);

    private Task Until(Func<List<string>, bool> condition, string what) =>
        Eventually.Until(async () => condition(await Titles()), what);

    [Fact]
    public async Task An_edit_an_addition_and_a_deletion_reach_the_served_feeds_and_the_files()
    {
        var untouched = blog.Site.Documents["tags/other/feed.xml"];
        var untouchedFile = folder.Combine("out", "tags", "other", "feed.xml");
        // The first build is served before it is written: take the file's time once it is there.
        await Eventually.Until(() => File.Exists(untouchedFile), "the first build's files");
        var untouchedWrite = File.GetLastWriteTimeUtc(untouchedFile);

        folder.Write("posts/edit.md", PostText.Of("After edit", "2026-01-02", extra: "tags: [shared]"));
        await Until(t => t.Contains("After edit") && !t.Contains("Before edit"), "the edit");
        folder.Write("posts/new.md", PostText.Of("Brand new", "2026-01-04", extra: "tags: [shared]"));
        await Until(t => t.Contains("Brand new"), "the addition");
        File.Delete(folder.Combine("posts", "gone.md"));
        await Until(t => !t.Contains("To be deleted"), "the deletion");

        Assert.Equal(["Brand new", "After edit", "Keep"], await Titles());
        Assert.Equal(["Brand new", "After edit"], await Titles("tags/shared/feed.json"));
        using (var lonely = await blog.Client.GetAsync("tags/lonely/feed.json")) Assert.Equal(HttpStatusCode.NotFound, lonely.StatusCode);
        // The files follow the served site by a few milliseconds: the site is swapped first, then the disk written.
        await Eventually.Until(() => !Directory.Exists(folder.Combine("out", "tags", "lonely")), "the tag's files being removed");
        Assert.Contains("Brand new", File.ReadAllText(folder.Combine("out", "feed.json")), StringComparison.Ordinal);
        // A tag feed no change touched was neither rebuilt nor rewritten.
        Assert.Same(untouched, blog.Site.Documents["tags/other/feed.xml"]);
        Assert.Equal(untouchedWrite, File.GetLastWriteTimeUtc(untouchedFile));
    }

    [Fact]
    public async Task A_half_written_file_keeps_the_last_good_version_published_until_it_is_whole()
    {
        var path = folder.Combine("posts", "edit.md");
        File.WriteAllText(path, "---\ntitle: \"Half writ");
        await Eventually.Until(() => blog.Site.Problems.Any(p => p.Path == path), "the problem being reported");
        Assert.Contains("Before edit", await Titles());
        // The problem is counted (blog.posts.problems), not shown: its path and line are for the log, `blog check` and the console.
        Assert.Single(blog.Site.Problems, p => p.Path == path);
        var health = await blog.Client.GetStringAsync("readyz");
        Assert.DoesNotContain(Path.GetFileName(path), health, StringComparison.Ordinal);

        File.WriteAllText(path, PostText.Of("Whole again", "2026-01-02", extra: "tags: [shared]"));
        await Until(t => t.Contains("Whole again"), "the repaired post");
        Assert.Empty(blog.Site.Problems);
    }

    [Fact]
    public async Task A_rename_storm_ends_with_the_post_listed_once_under_its_id()
    {
        folder.Write("posts/storm-0.md", PostText.Of("Storm", "2026-01-05", extra: "id: urn:uuid:7c9e6679-7425-40de-944b-e07fc1f90ae7"));
        await Until(t => t.Contains("Storm"), "the post");
        for (var i = 0; i < 100; i++)
            File.Move(folder.Combine("posts", $"storm-{i}.md"), folder.Combine("posts", $"storm-{i + 1}.md"));
        await Eventually.Until(() => blog.Site.Documents["feed.json"] is var d && System.Text.Encoding.UTF8.GetString(d.Bytes).Contains("storm-100", StringComparison.Ordinal), "the final name");

        var titles = await Titles();
        Assert.Single(titles, t => t == "Storm");
        using var doc = JsonDocument.Parse(await blog.Client.GetStringAsync("feed.json"));
        Assert.Single(doc.RootElement.GetProperty("items").EnumerateArray(), i => i.GetProperty("id").GetString() == "urn:uuid:7c9e6679-7425-40de-944b-e07fc1f90ae7");
    }

    [Fact]
    public async Task A_burst_of_a_thousand_new_files_is_published_whole()
    {
        for (var i = 0; i < 1000; i++)
            folder.Write($"posts/burst/p{i:0000}.md", PostText.Of($"Burst {i}", $"2026-02-01T00:00:00Z".Replace("00:00:00", $"{i / 60 % 24:00}:{i % 60:00}:00", StringComparison.Ordinal)
                .Replace("02-01", $"{2 + i / 1440:00}-01", StringComparison.Ordinal), extra: "tags: [burst]"));
        await Eventually.Until(() => blog.Site.Posts == 1003, "all 1,003 posts", seconds: 60);
        Assert.Equal("Burst 999", (await Titles())[0]);
        Assert.Equal(20, (await Titles("tags/burst/feed.json")).Count);
    }
}

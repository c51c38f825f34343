using System.Net;

namespace Blog.Tests.Hosting;

/// <summary>The output folder failing (disk full, permissions) must not stop serving, nor be mistaken for the post folder failing.</summary>
public sealed class OutputFailureTests
{
    [Fact]
    public async Task An_unwritable_output_folder_is_reported_serving_goes_on_and_the_files_follow_once_it_is_writable()
    {
        using var folder = new TempFolder();
        folder.Write("posts/a.md", PostText.Of("A", "2026-01-01"));
        var blocker = folder.Write("blocker", "a file where the output folder's parent should be");
        var output = Path.Combine(blocker, "out");
        await using var blog = await RunningBlog.StartAsync(folder.Combine("posts"), output, "--Posts:RescanInterval=00:00:01");

        Assert.Equal(["A"], await blog.TitlesAsync());
        // Still ready (serving from memory); the console's /health says why it is degraded.
        using (var ready = await blog.Client.GetAsync("readyz"))
            Assert.NotEqual(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        Assert.NotNull(blog.Site.OutputError);
        Assert.Null(blog.Site.StoreError);

        // Once the folder can be written, every file is written, not only those that change next.
        File.Delete(blocker);
        await Eventually.Until(() => File.Exists(Path.Combine(output, "feed.xml")) && File.Exists(Path.Combine(output, "atom.xml")), "the files being written");
        await Eventually.Until(() => blog.Site.OutputError is null, "the error clearing");
    }
}

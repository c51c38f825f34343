using System.Net;
using System.Text.Json;

namespace Blog.Tests.Serving;

/// <summary><c>/healthz</c> is public: it tells whether the site is well, never what is in the files or where they are.</summary>
public sealed class HealthEndpointTests
{
    private const string Secret = "SIGNING-KEY-0123456789abcdef";

    [Fact]
    public async Task Healthz_shows_status_counts_and_times_but_no_paths_values_or_error_text()
    {
        using var folder = new TempFolder();
        folder.Write("posts/good.md", PostText.Of("Good", "2026-01-01"));
        folder.Write("posts/bad.md", PostText.Of("Bad", "not-a-date-" + Secret));
        var key = folder.Write("data/signing.key", Secret + "\n");
        File.CreateSymbolicLink(folder.Combine("posts", "key.md"), key);
        var blocker = folder.Write("blocker", "a file where the output folder should be");
        await using var blog = await RunningBlog.StartAsync(folder.Combine("posts"), Path.Combine(blocker, "out"));

        using var response = await blog.Client.GetAsync("healthz");
        var text = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.DoesNotContain(Secret, text, StringComparison.Ordinal);
        Assert.DoesNotContain(folder.Path, text, StringComparison.Ordinal);
        Assert.DoesNotContain(".md", text, StringComparison.Ordinal);
        using var json = JsonDocument.Parse(text);
        var root = json.RootElement;
        Assert.Equal(["status", "lastBuild", "posts", "problems", "store", "output"], root.EnumerateObject().Select(p => p.Name));
        Assert.Equal("ok", root.GetProperty("status").GetString());
        Assert.Equal(1, root.GetProperty("posts").GetInt32());
        Assert.Equal(2, root.GetProperty("problems").GetInt32());
        Assert.Equal("ok", root.GetProperty("store").GetString());
        Assert.Equal("unwritable", root.GetProperty("output").GetString());
        // The details are for the owner: the log and `blog check` have them.
        Assert.Equal(2, blog.Site.Problems.Length);
    }
}

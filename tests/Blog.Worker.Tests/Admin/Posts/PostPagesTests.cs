using System.Globalization;
using System.Text.Encodings.Web;

namespace Blog.Tests.Admin.Posts;

/// <summary>The console's post catalogue on a running service, signed in as the owner.</summary>
public sealed class PostPagesTests
{
    [Fact]
    public async Task The_catalogue_shows_each_post_published_draft_scheduled_or_broken_and_the_feeds_that_carry_it()
    {
        using var folder = new TempFolder();
        var scheduled = DateTimeOffset.UtcNow.AddDays(3);
        folder.Write("posts/live.md", PostText.Of("Live <post>", "2026-01-01", extra: "tags: [Cooking]"));
        folder.Write("posts/draft.md", PostText.Of("Draft post", "2026-01-02", extra: "draft: true"));
        folder.Write("posts/later.md", PostText.Of("Later post", scheduled.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)));
        folder.Write("posts/broken.md", PostText.Of("Broken post", "the 5th of never"));
        await using var blog = await RunningBlog.StartAsync(folder.Combine("posts"), folder.Combine("out"), "--Site:Url=https://blog.example.com/");
        using var owner = await ConsoleSession.SignInAsync(blog);
        // The service's delivery rounds record when each post was first seen public; the page only reads it.
        await Eventually.Until(async () => (await blog.Service<Blog.Digests.IRunHistory>().FirstSeenAsync(CancellationToken.None)).Count == 1, "the live post seen");

        var page = await owner.GetStringAsync("/posts");
        Assert.Contains("1 post published, 1 scheduled, 1 draft, 1 file with problems.", page, StringComparison.Ordinal);
        Assert.Contains("<tr class=\"published\"><th scope=\"row\"><a href=\"https://blog.example.com/posts/live/\">Live &lt;post&gt;</a>", page, StringComparison.Ordinal);
        Assert.Contains("<tr class=\"draft\"><th scope=\"row\">Draft post", page, StringComparison.Ordinal);
        Assert.Contains($"<td>scheduled for {scheduled.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)} UTC</td>", page, StringComparison.Ordinal);
        // The broken file by name, line, field and value.
        Assert.Contains("<tr class=\"broken\"><td>broken.md</td><td>3</td><td>date</td><td>" + HtmlEncoder.Default.Encode("\"the 5th of never\"") + "</td>", page, StringComparison.Ordinal);
        // The index and the tag's feed carry the published post; first seen public as the service recorded it.
        Assert.Contains("<a href=\"https://blog.example.com/feed.xml\">index</a>, <a href=\"https://blog.example.com/tags/cooking/feed.xml\">tag Cooking</a>",
            page, StringComparison.Ordinal);
        Assert.Contains("<td>2026-01-01 00:00 UTC</td><td>2026-01-01 00:00 UTC</td>", page, StringComparison.Ordinal);
    }
}

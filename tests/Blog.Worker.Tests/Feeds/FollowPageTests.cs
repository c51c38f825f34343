using System.Text.RegularExpressions;
using Blog.Feeds;
using Microsoft.Extensions.Time.Testing;

namespace Blog.Tests.Feeds;

/// <summary>The "follow this feed" pages <c>blog build</c> writes beside the index's and every tag's feeds.</summary>
public sealed partial class FollowPageTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void The_index_and_every_tag_get_a_follow_page_with_their_feed_addresses_to_copy_and_encoded_reader_links()
    {
        using var folder = new TempFolder();
        folder.Write("posts/a.md", PostText.Of("A", "2026-01-01", extra: "tags: [rust, \"C# & .NET\"]"));
        TestSite.Publisher(folder.Combine("posts"), folder.Combine("out"), new FakeTimeProvider(Now)).Publish();

        var index = File.ReadAllText(folder.Combine("out/follow.html"));
        Assert.Contains("<input id=\"rss\" type=\"url\" readonly value=\"https://blog.example.com/feed.xml\">", index, StringComparison.Ordinal);
        Assert.Contains("value=\"https://blog.example.com/atom.xml\"", index, StringComparison.Ordinal);
        Assert.Contains("value=\"https://blog.example.com/feed.json\"", index, StringComparison.Ordinal);
        Assert.Contains("href=\"https://feedly.com/i/subscription/feed/https%3A%2F%2Fblog.example.com%2Ffeed.xml\"", index, StringComparison.Ordinal);
        Assert.Contains("href=\"https://www.inoreader.com/?add_feed=https%3A%2F%2Fblog.example.com%2Ffeed.xml\"", index, StringComparison.Ordinal);
        Assert.Contains("href=\"https://theoldreader.com/feeds/subscribe?url=https%3A%2F%2Fblog.example.com%2Ffeed.xml\"", index, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", index, StringComparison.OrdinalIgnoreCase);

        var rust = File.ReadAllText(folder.Combine("out/tags/rust/follow.html"));
        Assert.Contains("value=\"https://blog.example.com/tags/rust/feed.xml\"", rust, StringComparison.Ordinal);
        Assert.Contains("https%3A%2F%2Fblog.example.com%2Ftags%2Frust%2Ffeed.xml", rust, StringComparison.Ordinal);
        var dotnet = Directory.GetFiles(folder.Combine("out/tags"), "follow.html", SearchOption.AllDirectories).Single(f => !f.Contains("rust", StringComparison.Ordinal));
        Assert.Contains("Follow \u201cC# &amp; .NET\u201d on Test Blog", File.ReadAllText(dotnet), StringComparison.Ordinal);
    }

    [Fact]
    public void A_hostile_tag_name_is_shown_as_text_and_cannot_add_markup()
    {
        using var folder = new TempFolder();
        folder.Write("posts/a.md", PostText.Of("A", "2026-01-01", extra: "tags: [\"\\\"><script>alert(1)</script><img src=x onerror=alert(2)>\"]"));
        TestSite.Publisher(folder.Combine("posts"), folder.Combine("out"), new FakeTimeProvider(Now)).Publish();

        var page = File.ReadAllText(Directory.GetFiles(folder.Combine("out/tags"), "follow.html", SearchOption.AllDirectories).Single());

        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", page, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", page, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<img", page, StringComparison.OrdinalIgnoreCase);
        // Every tag the page has is one the writer wrote.
        Assert.Equal(["!doctype", "a", "body", "h1", "head", "html", "input", "label", "li", "link", "main", "meta", "p", "style", "title", "ul"],
            Tags().Matches(page).Select(m => m.Groups[1].Value.ToLowerInvariant()).Distinct().Order(StringComparer.Ordinal));
    }

    [Fact]
    public void The_feeds_stylesheet_and_the_index_page_link_to_the_follow_page()
    {
        var xsl = new StreamReader(typeof(FeedBuilder).Assembly.GetManifestResourceStream(FeedBuilder.StylesheetFile)!).ReadToEnd();
        Assert.Contains("<a href=\"follow.html\">", xsl, StringComparison.Ordinal);
        var template = File.ReadAllText(Path.Combine(TestSite.RepositoryRoot(), "templates", "web", "index.html.sbn"));
        Assert.Contains("<a href=\"follow.html\">", template, StringComparison.Ordinal);
        Assert.Contains("<a href=\"{{ t.folder }}follow.html\">", template, StringComparison.Ordinal);
    }

    [GeneratedRegex(@"<(!?[a-zA-Z][a-zA-Z0-9]*)")]
    private static partial Regex Tags();
}

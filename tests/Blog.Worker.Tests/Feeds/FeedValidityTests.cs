using System.Text.RegularExpressions;
using Blog.Feeds;
using Microsoft.Extensions.Time.Testing;

namespace Blog.Tests.Feeds;

/// <summary>Every document is judged by third parties: jing with RFC 4287's schema, python3-feedparser, CodeHollow.FeedReader and the JSON Feed 1.1 rules.</summary>
public sealed partial class FeedValidityTests
{
    private static readonly FakeTimeProvider Today = new(new DateTimeOffset(2026, 11, 28, 0, 0, 0, TimeSpan.Zero));

    [Fact]
    public void The_sample_blog_gives_valid_feeds_with_every_post_and_tag()
    {
        var content = Path.Combine(TestSite.RepositoryRoot(), "content", "posts");
        // Counted from the files' text, not with the parser under test.
        var tagCounts = Directory.GetFiles(content, "*.md")
            .SelectMany(f => TagsLine().Match(File.ReadAllText(f)).Groups[1].Value.Split(',', StringSplitOptions.TrimEntries))
            .GroupBy(t => t).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(15, Directory.GetFiles(content, "*.md").Length);

        using var output = new TempFolder();
        var report = TestSite.Publisher(content, output.Path, Today).Publish();
        Assert.Empty(report.Problems);
        Assert.Equal(15, report.Published);

        var expected = new Dictionary<string, int> { [""] = 15 };
        foreach (var (tag, count) in tagCounts) expected[$"tags/{tag}/"] = count;
        AssertAllValid(output.Path, expected);
    }

    [Fact]
    public void Hostile_content_cannot_break_any_document()
    {
        using var folder = new TempFolder();
        var count = HostileCorpus.Write(folder);
        var report = TestSite.Publisher(folder.Combine("posts"), folder.Combine("out"), Today).Publish();
        Assert.Empty(report.Problems);
        Assert.Equal(count, report.Published);

        AssertAllValid(folder.Combine("out"), new Dictionary<string, int>
        {
            [""] = count,
            ["tags/hostile/"] = count,
            ["tags/c-net/"] = count - 2,
            ["tags/日本語/"] = count - 2,
        });

        // What readers show is the text the author wrote, minus only what XML cannot carry.
        var parsed = FeedJudges.FeedParser([folder.Combine("out", "feed.xml"), folder.Combine("out", "atom.xml")]);
        foreach (var feed in parsed.Values)
        {
            Assert.Contains(HostileCorpus.LongTitle, feed.Titles);
            Assert.Contains("Ends ]]> and ]]> again", feed.Titles);
            Assert.Contains("Bell null escape vt ff nel end", feed.Titles);
            Assert.Contains("Rockets 🚀 and family 👨‍👩‍👧 and flags 🇩🇪", feed.Titles);
        }
        var rss = File.ReadAllText(folder.Combine("out", "feed.xml"));
        Assert.DoesNotContain("<script>", rss, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", rss, StringComparison.Ordinal);
        Assert.Contains("https://blog.example.com/img/a.png", rss, StringComparison.Ordinal);
    }

    [Fact]
    public void Archive_pages_of_a_larger_blog_are_valid_atom()
    {
        using var folder = new TempFolder();
        for (var i = 0; i < 130; i++)
            folder.Write($"posts/p{i:000}.md", PostText.Of($"Post {i} <&>", $"2025-01-01T00:00:00Z".Replace("01T", $"{1 + i % 28:00}T", StringComparison.Ordinal).Replace("-01-", $"-{1 + i / 28:00}-", StringComparison.Ordinal), extra: "tags: [bulk]"));
        TestSite.Publisher(folder.Combine("posts"), folder.Combine("out"), Today, itemsPerFeed: 20, archivePageSize: 50).Publish();

        var pages = Directory.GetFiles(folder.Combine("out", "archive"), "*.xml");
        Assert.Equal(3, pages.Length);
        FeedJudges.AssertAtomValid(pages);
        var parsed = FeedJudges.FeedParser(pages);
        Assert.All(parsed.Values, p => Assert.Equal(0, p.Bozo));
        Assert.Equal(130, parsed.Values.Sum(p => p.Entries));
        AssertAllValid(folder.Combine("out"), new Dictionary<string, int> { [""] = 20, ["tags/bulk/"] = 20 });
    }

    private static void AssertAllValid(string output, IReadOnlyDictionary<string, int> entriesByFolder)
    {
        var folders = Directory.GetFiles(output, FeedBuilder.AtomFile, SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(output, Path.GetDirectoryName(f)!).Replace('\\', '/'))
            .Select(f => f == "." ? "" : f + "/").Order().ToList();
        Assert.Equal(entriesByFolder.Keys.Order(), folders);

        var atoms = folders.Select(f => Path.Combine(output, f, FeedBuilder.AtomFile)).ToList();
        var archives = Directory.Exists(Path.Combine(output, "archive")) ? Directory.GetFiles(Path.Combine(output, "archive")) : [];
        FeedJudges.AssertAtomValid([.. atoms, .. archives]);

        var xml = folders.SelectMany(f => new[] { Path.Combine(output, f, FeedBuilder.RssFile), Path.Combine(output, f, FeedBuilder.AtomFile) }).ToList();
        var parsed = FeedJudges.FeedParser(xml);
        foreach (var folder in folders)
        {
            var expected = Math.Min(entriesByFolder[folder], 20);
            var rss = parsed[Path.Combine(output, folder, FeedBuilder.RssFile)];
            var atom = parsed[Path.Combine(output, folder, FeedBuilder.AtomFile)];
            Assert.True(rss.Bozo == 0, $"{folder}feed.xml: feedparser bozo: {rss.BozoException}");
            Assert.True(atom.Bozo == 0, $"{folder}atom.xml: feedparser bozo: {atom.BozoException}");
            Assert.Equal(("rss20", expected), (rss.Version, rss.Entries));
            Assert.Equal(("atom10", expected), (atom.Version, atom.Entries));
            FeedJudges.AssertJsonFeed(Path.Combine(output, folder, FeedBuilder.JsonFile), expected);

            foreach (var file in FeedBuilder.FileNames)
            {
                var feed = CodeHollow.FeedReader.FeedReader.ReadFromByteArray(File.ReadAllBytes(Path.Combine(output, folder, file)));
                Assert.Equal(expected, feed.Items.Count);
            }
        }
    }

    [GeneratedRegex(@"tags: \[(.*)\]")]
    private static partial Regex TagsLine();
}

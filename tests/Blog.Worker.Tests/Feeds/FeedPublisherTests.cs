using System.Xml.Linq;
using Microsoft.Extensions.Time.Testing;

namespace Blog.Tests.Feeds;

public sealed class FeedPublisherTests
{
    private static readonly XNamespace Atom = "http://www.w3.org/2005/Atom";
    private static readonly DateTimeOffset Now = new(2026, 6, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void The_same_input_gives_the_same_bytes_and_the_feed_time_is_the_newest_entry_not_the_clock()
    {
        using var folder = new TempFolder();
        folder.Write("posts/a.md", PostText.Of("A", "2026-01-01T10:00:00Z", extra: "updated: 2026-02-01T08:00:00Z\ntags: [x]"));
        folder.Write("posts/b.md", PostText.Of("B", "2026-01-05T10:00:00Z", extra: "tags: [x, y]"));

        var first = TestSite.Publisher(folder.Combine("posts"), folder.Combine("out1"), new FakeTimeProvider(Now)).Publish();
        var second = TestSite.Publisher(folder.Combine("posts"), folder.Combine("out2"), new FakeTimeProvider(Now.AddYears(3))).Publish();

        Assert.Equal(first.Written, second.Written);
        foreach (var file in Directory.EnumerateFiles(folder.Combine("out1"), "*", SearchOption.AllDirectories))
        {
            var twin = file.Replace("out1", "out2", StringComparison.Ordinal);
            Assert.True(File.ReadAllBytes(file).AsSpan().SequenceEqual(File.ReadAllBytes(twin)), $"{file} differs between builds");
        }
        var atom = XDocument.Load(folder.Combine("out1", "atom.xml"));
        Assert.Equal("2026-02-01T08:00:00Z", atom.Root!.Element(Atom + "updated")!.Value);
        Assert.Contains("<lastBuildDate>Sun, 01 Feb 2026 08:00:00 Z</lastBuildDate>", File.ReadAllText(folder.Combine("out1", "feed.xml")), StringComparison.Ordinal);
    }

    [Fact]
    public void A_second_build_rewrites_nothing_and_a_change_rewrites_only_the_feeds_it_touches()
    {
        using var folder = new TempFolder();
        folder.Write("posts/a.md", PostText.Of("A", "2026-01-01", extra: "tags: [x]"));
        folder.Write("posts/b.md", PostText.Of("B", "2026-01-02", extra: "tags: [y]"));
        var publisher = TestSite.Publisher(folder.Combine("posts"), folder.Combine("out"), new FakeTimeProvider(Now));

        var first = publisher.Publish();
        // Three feeds of three files and a follow page, one archive page, the stylesheet.
        Assert.Equal(3 * 4 + 1 + 1, first.Written);
        var again = publisher.Publish();
        Assert.Equal(0, again.Written);
        Assert.Equal(first.Written, again.Unchanged);

        folder.Write("posts/b.md", PostText.Of("B edited", "2026-01-02", extra: "tags: [y]"));
        var edit = publisher.Publish();
        // main (3) + tag y (3) + the archive page; tag x is untouched.
        Assert.Equal(7, edit.Written);
    }

    [Fact]
    public void A_publish_writes_each_document_and_lets_it_go_so_nothing_of_it_is_kept_for_a_next_pass()
    {
        using var folder = new TempFolder();
        folder.Write("posts/a.md", PostText.Of("A", "2026-01-01", extra: "tags: [x]"));
        var publisher = TestSite.Publisher(folder.Combine("posts"), folder.Combine("out"), new FakeTimeProvider(Now));

        Assert.Equal(2 * 4 + 1 + 1, publisher.Publish().Written);

        // blog build keeps no document in memory: a pass after it has nothing to compare with, so everything is new to it.
        var next = publisher.Build(null);
        Assert.Equal(2 * 4 + 1 + 1, next.Documents.Count);
        Assert.Equal(next.Documents.Keys.Order(StringComparer.Ordinal), next.Changed.Select(d => d.Path).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Drafts_never_appear_and_a_future_post_appears_once_its_time_has_come()
    {
        using var folder = new TempFolder();
        folder.Write("posts/live.md", PostText.Of("Live", "2026-05-01T00:00:00Z", extra: "tags: [t]"));
        folder.Write("posts/draft.md", PostText.Of("Draft", "2026-05-02T00:00:00Z", extra: "draft: true\ntags: [secret]"));
        folder.Write("posts/later.md", PostText.Of("Later", "2026-06-01T12:30:00Z", extra: "tags: [t]"));
        var time = new FakeTimeProvider(Now);
        var publisher = TestSite.Publisher(folder.Combine("posts"), folder.Combine("out"), time);

        var report = publisher.Publish();
        Assert.Equal(1, report.Published);
        Assert.Equal(new DateTimeOffset(2026, 6, 1, 12, 30, 0, TimeSpan.Zero), report.NextScheduled);
        Assert.Equal(["Live"], Titles(folder.Combine("out", "atom.xml")));
        Assert.False(Directory.Exists(folder.Combine("out", "tags", "secret")));

        time.Advance(TimeSpan.FromMinutes(30));
        report = publisher.Publish();
        Assert.Equal(2, report.Published);
        Assert.Null(report.NextScheduled);
        Assert.Equal(["Later", "Live"], Titles(folder.Combine("out", "atom.xml")));
        Assert.Equal(["Later", "Live"], Titles(folder.Combine("out", "tags", "t", "atom.xml")));
    }

    [Fact]
    public void With_the_stylesheet_off_no_document_points_at_one_and_none_is_written()
    {
        using var folder = new TempFolder();
        folder.Write("posts/a.md", PostText.Of("A", "2026-01-01", extra: "tags: [x]"));
        var on = TestSite.Publisher(folder.Combine("posts"), new Blog.Feeds.FeedsOptions { OutputPath = folder.Combine("on") }, new FakeTimeProvider(Now));
        var off = TestSite.Publisher(folder.Combine("posts"), new Blog.Feeds.FeedsOptions { OutputPath = folder.Combine("off"), Stylesheet = false }, new FakeTimeProvider(Now));
        on.Publish();
        off.Publish();

        // On (the default): RSS and Atom, archives included, name it relative to themselves; JSON Feed never does.
        Assert.True(File.Exists(folder.Combine("on", "feed.xsl")));
        Assert.Contains("<?xml-stylesheet href=\"feed.xsl\" type=\"text/xsl\"?>", File.ReadAllText(folder.Combine("on", "feed.xml")), StringComparison.Ordinal);
        Assert.Contains("href=\"../../feed.xsl\"", File.ReadAllText(folder.Combine("on", "tags", "x", "atom.xml")), StringComparison.Ordinal);
        Assert.Contains("href=\"../feed.xsl\"", File.ReadAllText(folder.Combine("on", "archive", "1.xml")), StringComparison.Ordinal);

        Assert.False(File.Exists(folder.Combine("off", "feed.xsl")));
        foreach (var file in Directory.EnumerateFiles(folder.Combine("off"), "*", SearchOption.AllDirectories))
        {
            var text = File.ReadAllText(file);
            Assert.DoesNotContain("xml-stylesheet", text, StringComparison.Ordinal);
            Assert.DoesNotContain("feed.xsl", text, StringComparison.Ordinal);
        }
        Assert.Equal(Directory.GetFiles(folder.Combine("on"), "*", SearchOption.AllDirectories).Length - 1,
            Directory.GetFiles(folder.Combine("off"), "*", SearchOption.AllDirectories).Length);
    }

    [Fact]
    public void A_deleted_tag_loses_its_feeds()
    {
        using var folder = new TempFolder();
        folder.Write("posts/a.md", PostText.Of("A", "2026-01-01", extra: "tags: [gone]"));
        var publisher = TestSite.Publisher(folder.Combine("posts"), folder.Combine("out"), new FakeTimeProvider(Now));
        publisher.Publish();
        Assert.True(File.Exists(folder.Combine("out", "tags", "gone", "feed.json")));

        folder.Write("posts/a.md", PostText.Of("A", "2026-01-01"));
        var report = publisher.Publish();
        Assert.Equal(4, report.Removed);
        Assert.False(Directory.Exists(folder.Combine("out", "tags", "gone")));
    }

    [Fact]
    public void The_archive_links_every_page_back_to_the_oldest_and_holds_the_whole_history()
    {
        using var folder = new TempFolder();
        for (var i = 1; i <= 7; i++) folder.Write($"posts/p{i}.md", PostText.Of($"P{i}", $"2026-01-{i:00}"));
        TestSite.Publisher(folder.Combine("posts"), folder.Combine("out"), new FakeTimeProvider(Now), itemsPerFeed: 2, archivePageSize: 3).Publish();

        var seen = new List<string>();
        var link = Link(XDocument.Load(folder.Combine("out", "atom.xml")), "prev-archive");
        Assert.Equal("https://blog.example.com/archive/3.xml", link);
        var pages = 0;
        while (link is not null)
        {
            var page = XDocument.Load(folder.Combine("out", new Uri(link).AbsolutePath.TrimStart('/')));
            Assert.NotNull(page.Root!.Element(XName.Get("archive", "http://purl.org/syndication/history/1.0")));
            Assert.Equal("https://blog.example.com/atom.xml", Link(page, "current"));
            seen.AddRange(page.Root.Elements(Atom + "entry").Select(e => e.Element(Atom + "title")!.Value));
            link = Link(page, "prev-archive");
            pages++;
        }
        Assert.Equal(3, pages);
        Assert.Equal(Enumerable.Range(1, 7).Reverse().Select(i => $"P{i}"), seen);
        Assert.Equal("https://blog.example.com/archive/2.xml", Link(XDocument.Load(folder.Combine("out", "archive", "1.xml")), "next-archive"));
        Assert.Equal(["P2", "P1"], Titles(folder.Combine("out", "archive", "1.xml")).Skip(1));
    }

    [Fact]
    public void Feeds_advertise_their_hubs_and_point_browsers_at_the_stylesheet()
    {
        using var folder = new TempFolder();
        folder.Write("posts/a.md", PostText.Of("A", "2026-01-01", extra: "tags: [x]"));
        var feeds = new Blog.Feeds.FeedsOptions { OutputPath = folder.Combine("out"), Hubs = ["https://hub.example/", "https://other-hub.example/websub"] };
        TestSite.Publisher(folder.Combine("posts"), feeds, new FakeTimeProvider(Now)).Publish();

        var atom = XDocument.Load(folder.Combine("out", "tags", "x", "atom.xml"));
        Assert.Equal(["https://hub.example/", "https://other-hub.example/websub"],
            atom.Root!.Elements(Atom + "link").Where(l => (string?)l.Attribute("rel") == "hub").Select(l => l.Attribute("href")!.Value));
        var rss = XDocument.Load(folder.Combine("out", "tags", "x", "feed.xml"));
        Assert.Equal(2, rss.Root!.Element("channel")!.Elements(Atom + "link").Count(l => (string?)l.Attribute("rel") == "hub"));
        var json = FeedJudges.AssertJsonFeed(folder.Combine("out", "tags", "x", "feed.json"), 1);
        Assert.Equal("https://hub.example/", json.GetProperty("hubs")[0].GetProperty("url").GetString());
        Assert.Equal("WebSub", json.GetProperty("hubs")[0].GetProperty("type").GetString());

        // Relative, so it resolves wherever the feed is served from.
        var pi = atom.Nodes().OfType<XProcessingInstruction>().Single();
        Assert.Equal(("xml-stylesheet", "href=\"../../feed.xsl\" type=\"text/xsl\""), (pi.Target, pi.Data));
        Assert.Contains("href=\"feed.xsl\"", File.ReadAllText(folder.Combine("out", "feed.xml")), StringComparison.Ordinal);
        Assert.Contains("href=\"../feed.xsl\"", File.ReadAllText(folder.Combine("out", "archive", "1.xml")), StringComparison.Ordinal);
        Assert.Contains("<xsl:stylesheet", File.ReadAllText(folder.Combine("out", "feed.xsl")), StringComparison.Ordinal);
    }

    private static string? Link(XDocument doc, string rel) =>
        doc.Root!.Elements(Atom + "link").FirstOrDefault(l => (string?)l.Attribute("rel") == rel)?.Attribute("href")?.Value;

    private static List<string> Titles(string atomFile) =>
        [.. XDocument.Load(atomFile).Root!.Elements(Atom + "entry").Select(e => e.Element(Atom + "title")!.Value)];

    [Fact]
    public void A_tag_of_100_cjk_characters_does_not_stop_the_output_tree()
    {
        using var folder = new TempFolder();
        // 85 CJK characters are 255 bytes, as long as a folder name may be: that key stays as it always was.
        folder.Write("posts/a.md", PostText.Of("A", "2026-01-01", extra: $"tags: [{new string('語', 100)}, {new string('語', 85)}, short]"));

        var report = TestSite.Publisher(folder.Combine("posts"), folder.Combine("out"), new FakeTimeProvider(Now)).Publish();

        Assert.Empty(report.Failures);
        Assert.True(File.Exists(folder.Combine("out", "feed.xml")));
        Assert.True(File.Exists(folder.Combine("out", "tags", "short", "feed.xml")));
        var tagFolders = Directory.GetDirectories(folder.Combine("out", "tags")).Select(Path.GetFileName).ToList();
        Assert.Equal(3, tagFolders.Count);
        Assert.Contains(new string('語', 85), tagFolders);
        Assert.All(tagFolders, f => Assert.True(File.Exists(folder.Combine("out", "tags", f!, "feed.json")), f));
    }

    [Fact]
    public void A_document_that_cannot_be_written_is_reported_and_every_other_one_is_written()
    {
        using var folder = new TempFolder();
        folder.Write("posts/a.md", PostText.Of("A", "2026-01-01", extra: "tags: [blocked, fine, other]"));
        // A file where the tag's folder must go: root can write anywhere, but not there.
        folder.Write("out/tags/blocked", "in the way");

        var report = TestSite.Publisher(folder.Combine("posts"), folder.Combine("out"), new FakeTimeProvider(Now)).Publish();

        Assert.Equal(["tags/blocked/atom.xml", "tags/blocked/feed.json", "tags/blocked/feed.xml", "tags/blocked/follow.html"], report.Failures.Select(f => f.Path).Order(StringComparer.Ordinal));
        Assert.All(report.Failures, f => Assert.False(string.IsNullOrEmpty(f.Reason)));
        foreach (var file in new[] { "feed.xml", "atom.xml", "feed.json", "archive/1.xml", "feed.xsl", "tags/fine/feed.xml", "tags/other/feed.json" })
            Assert.True(File.Exists(folder.Combine("out", file)), file);
        Assert.Equal(3 * 4 + 2, report.Written);
    }
}

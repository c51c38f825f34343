using System.Text;
using Blog.Feeds;

namespace Blog.Tests.Feeds;

public sealed class OutputFolderTests
{
    [Fact]
    public void Writes_atomically_and_leaves_unchanged_files_untouched()
    {
        using var folder = new TempFolder();
        var output = new OutputFolder(folder.Path);
        Assert.True(output.Write(new FeedDocument("tags/a/feed.xml", "<one/>"u8.ToArray())));
        var path = folder.Combine("tags", "a", "feed.xml");
        var stamp = new DateTime(2020, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        File.SetLastWriteTimeUtc(path, stamp);

        Assert.False(output.Write(new FeedDocument("tags/a/feed.xml", "<one/>"u8.ToArray())));
        Assert.Equal(stamp, File.GetLastWriteTimeUtc(path));

        // Same length, different bytes: must be replaced.
        Assert.True(output.Write(new FeedDocument("tags/a/feed.xml", "<two/>"u8.ToArray())));
        Assert.Equal("<two/>", File.ReadAllText(path));
        Assert.Empty(Directory.EnumerateFiles(folder.Path, "*.tmp", SearchOption.AllDirectories));
    }

    [Fact]
    public void A_reader_holding_the_old_file_keeps_reading_the_old_bytes()
    {
        using var folder = new TempFolder();
        var output = new OutputFolder(folder.Path);
        output.Write(new FeedDocument("feed.xml", Encoding.UTF8.GetBytes(new string('a', 100_000))));
        using var reader = File.OpenRead(folder.Combine("feed.xml"));
        output.Write(new FeedDocument("feed.xml", Encoding.UTF8.GetBytes(new string('b', 50_000))));
        using var text = new StreamReader(reader);
        Assert.Equal(new string('a', 100_000), text.ReadToEnd());
        Assert.Equal(50_000, new FileInfo(folder.Combine("feed.xml")).Length);
    }

    [Fact]
    public void Prune_removes_only_stale_feed_files_and_crash_leftovers()
    {
        using var folder = new TempFolder();
        var output = new OutputFolder(folder.Path);
        foreach (var path in new[] { "feed.xml", "atom.xml", "feed.json", "tags/old/feed.xml", "tags/old/atom.xml", "tags/keep/feed.json", "archive/1.xml", "archive/2.xml" })
            output.Write(new FeedDocument(path, [1]));
        folder.Write("index.html", "owner's own file");
        folder.Write("tags/keep/notes.txt", "owner's own file");
        folder.Write("tags/keep/.feed.json.0123abcd.tmp", "half-written by a crash");

        var removed = output.Prune(["feed.xml", "atom.xml", "feed.json", "tags/keep/feed.json", "archive/1.xml"]);

        Assert.Equal(4, removed);
        Assert.False(Directory.Exists(folder.Combine("tags", "old")));
        Assert.False(File.Exists(folder.Combine("archive", "2.xml")));
        Assert.True(File.Exists(folder.Combine("archive", "1.xml")));
        Assert.True(File.Exists(folder.Combine("index.html")));
        Assert.True(File.Exists(folder.Combine("tags", "keep", "notes.txt")));
        Assert.False(File.Exists(folder.Combine("tags", "keep", ".feed.json.0123abcd.tmp")));
    }
}

using System.Text.Json;

namespace Blog.Tests.Support;

/// <summary>Third parties that judge our feeds: Debian's jing with RFC 4287's schema, python3-feedparser, and the JSON Feed 1.1 rules.</summary>
public static class FeedJudges
{
    public static string AtomSchema => Path.Combine(AppContext.BaseDirectory, "schemas", "atom.rnc");

    /// <summary>Validates Atom documents with <c>jing -c</c>; fails with jing's own messages.</summary>
    public static void AssertAtomValid(IReadOnlyCollection<string> files)
    {
        Assert.NotEmpty(files);
        var (exit, output) = ExternalTool.Run("jing", ["-c", AtomSchema, .. files]);
        // jing's launcher warns about optional jars on stderr; only its validation messages matter.
        var errors = output.Split('\n').Where(l => l.Length > 0 && !l.StartsWith("[warning]", StringComparison.Ordinal)).ToList();
        Assert.True(exit == 0 && errors.Count == 0, $"jing -c atom.rnc rejected the feeds:\n{string.Join('\n', errors.Take(40))}");
    }

    public sealed record ParsedFeed(int Bozo, string BozoException, int Entries, string Version, ImmutableArray<string> Titles);

    /// <summary>Parses RSS and Atom documents with Debian's python3-feedparser (Debian's python3, not whatever python3 is first on PATH).</summary>
    public static IReadOnlyDictionary<string, ParsedFeed> FeedParser(IReadOnlyCollection<string> files)
    {
        const string script = """
            import json, sys, feedparser
            out = {}
            for path in sys.argv[1:]:
                d = feedparser.parse(path)
                out[path] = {"bozo": int(d.bozo), "exc": repr(d.get("bozo_exception", "")), "entries": len(d.entries),
                             "version": d.version, "titles": [e.get("title", "") for e in d.entries]}
            print(json.dumps(out))
            """;
        var (exit, output) = ExternalTool.Run("/usr/bin/python3", ["-c", script, .. files]);
        Assert.True(exit == 0, "python3-feedparser failed (install it with the README's test command):\n" + output);
        var json = output.Split('\n').First(l => l.StartsWith('{'));
        using var doc = JsonDocument.Parse(json);
        return doc.RootElement.EnumerateObject().ToDictionary(
            p => p.Name,
            p => new ParsedFeed(
                p.Value.GetProperty("bozo").GetInt32(),
                p.Value.GetProperty("exc").GetString()!,
                p.Value.GetProperty("entries").GetInt32(),
                p.Value.GetProperty("version").GetString()!,
                [.. p.Value.GetProperty("titles").EnumerateArray().Select(t => t.GetString()!)]));
    }

    /// <summary>Checks what JSON Feed 1.1 requires (version, title, items; an id and content for each item) and what it says of URLs and dates.</summary>
    public static JsonElement AssertJsonFeed(string file, int expectedItems)
    {
        using var doc = JsonDocument.Parse(File.ReadAllBytes(file));
        var root = doc.RootElement.Clone();
        Assert.Equal("https://jsonfeed.org/version/1.1", root.GetProperty("version").GetString());
        Assert.False(string.IsNullOrEmpty(root.GetProperty("title").GetString()));
        foreach (var url in new[] { "home_page_url", "feed_url" })
            Assert.True(Uri.TryCreate(root.GetProperty(url).GetString(), UriKind.Absolute, out _), $"{file}: {url} is not absolute");
        var items = root.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(expectedItems, items.Count);
        var ids = new HashSet<string>();
        foreach (var item in items)
        {
            var id = item.GetProperty("id").GetString();
            Assert.False(string.IsNullOrEmpty(id));
            Assert.True(ids.Add(id!), $"{file}: duplicate item id {id}");
            Assert.True(item.TryGetProperty("content_html", out _) || item.TryGetProperty("content_text", out _), $"{file}: item {id} has no content");
            Assert.True(Uri.TryCreate(item.GetProperty("url").GetString(), UriKind.Absolute, out _));
            foreach (var date in new[] { "date_published", "date_modified" })
                Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(Z|[+-]\d\d:\d\d)$", item.GetProperty(date).GetString());
        }
        return root;
    }
}

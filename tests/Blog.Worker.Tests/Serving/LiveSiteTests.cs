using Blog.Cli;
using Blog.Feeds;
using Blog.Serving;
using Microsoft.Extensions.Time.Testing;

namespace Blog.Tests.Serving;

public sealed class LiveSiteTests
{
    /// <summary>One update as the service makes it: build, serve, write.</summary>
    private static (FeedBuild Build, OutputReport Output) Update(FeedPublisher publisher, LiveSite site, IReadOnlyCollection<string>? paths)
    {
        var build = publisher.Build(paths);
        site.Show(build);
        var output = publisher.Write(build);
        site.ReportOutputError(publisher.OutputError);
        return (build, output);
    }

    private static readonly FakeTimeProvider Today = new(new DateTimeOffset(2026, 11, 28, 0, 0, 0, TimeSpan.Zero));

    [Fact]
    public async Task The_service_writes_exactly_what_blog_build_writes_even_for_hostile_posts()
    {
        using var folder = new TempFolder();
        HostileCorpus.Write(folder);
        var site = TestSite.Site();
        var built = await BlogCli.RunAsync(["build", "--content", folder.Combine("posts"), "--out", folder.Combine("built"),
            $"--Site:Url={site.Url}", $"--Site:Title={site.Title}", $"--Site:Description={site.Description}", $"--Site:AuthorName={site.AuthorName}",
            $"--Site:AuthorEmail={site.AuthorEmail}"], TextWriter.Null, TextWriter.Null);
        Assert.Equal(0, built);

        var (publisher, served, _) = TestSite.Live(folder.Combine("posts"), folder.Combine("live"), TimeProvider.System);
        var (update, _) = Update(publisher, served, null);
        Assert.Empty(update.Snapshot.Problems);

        string[] Files(string root) => [.. Directory.GetFiles(root, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(root, f)).Order(StringComparer.Ordinal)];
        Assert.Equal(Files(folder.Combine("built")), Files(folder.Combine("live")));
        foreach (var file in Files(folder.Combine("built")))
        {
            var bytes = File.ReadAllBytes(folder.Combine("built", file));
            Assert.True(bytes.AsSpan().SequenceEqual(File.ReadAllBytes(folder.Combine("live", file))), $"{file} differs between build and run");
            Assert.True(bytes.AsSpan().SequenceEqual(served.Current.Documents[file.Replace('\\', '/')].Bytes), $"{file} is served differently");
        }
    }

    [Fact]
    public void The_index_page_escapes_every_value()
    {
        using var folder = new TempFolder();
        HostileCorpus.Write(folder);
        var (publisher, site, _) = TestSite.Live(folder.Combine("posts"), folder.Combine("out"), Today);
        Update(publisher, site, null);

        var html = System.Text.Encoding.UTF8.GetString(site.Current.Documents[""].Bytes);
        Assert.DoesNotContain("<script>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<b>bold</b>", html, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;", html, StringComparison.Ordinal);
        Assert.Contains("href=\"tags/c-net/feed.xml\"", html, StringComparison.Ordinal);
        // The tag named "C# & <.NET>" is shown as text.
        Assert.Contains("C# &amp; &lt;.NET&gt;", html, StringComparison.Ordinal);
    }

    [Fact]
    public void The_index_page_comes_from_a_template_the_owner_can_replace_and_one_that_fails_keeps_the_last_good_page()
    {
        using var folder = new TempFolder();
        folder.Write("posts/a.md", PostText.Of("A <b>", "2026-01-01", extra: "tags: [x]"));
        var template = folder.Write("templates/web/index.html.sbn", "<p>{{ site_title }}: {{ for p in posts }}{{ p.title }} {{ end }}{{ for t in tags }}{{ t.folder }}{{ end }}</p>");
        var (publisher, _, _) = TestSite.Live(folder.Combine("posts"), folder.Combine("out"), Today);
        var holder = new SiteHolder();
        var site = new LiveSite(holder, Microsoft.Extensions.Options.Options.Create(TestSite.Site()),
            new IndexPage(Blog.Templates.TemplateSet.Load(folder.Combine("templates"))), Microsoft.Extensions.Logging.Abstractions.NullLogger<LiveSite>.Instance);

        site.Show(publisher.Build(null));
        Assert.Equal("<p>Test Blog: A &lt;b&gt; tags/x/</p>", System.Text.Encoding.UTF8.GetString(holder.Current.Documents[""].Bytes));

        // A template that fails at run time (here: past the loop limit) leaves the last good page, and the feeds, served.
        File.WriteAllText(template, "{{ for i in 1..1000000 }}x{{ end }}");
        var failing = new LiveSite(holder, Microsoft.Extensions.Options.Options.Create(TestSite.Site()),
            new IndexPage(Blog.Templates.TemplateSet.Load(folder.Combine("templates"))), Microsoft.Extensions.Logging.Abstractions.NullLogger<LiveSite>.Instance);
        folder.Write("posts/b.md", PostText.Of("B", "2026-01-02"));
        failing.Show(publisher.Build(null));
        Assert.Equal("<p>Test Blog: A &lt;b&gt; tags/x/</p>", System.Text.Encoding.UTF8.GetString(holder.Current.Documents[""].Bytes));
        Assert.Contains("\"B\"", System.Text.Encoding.UTF8.GetString(holder.Current.Documents["feed.json"].Bytes), StringComparison.Ordinal);
    }

    [Fact]
    public void A_document_that_cannot_be_written_does_not_keep_the_others_from_disk_or_the_site_from_readers()
    {
        using var folder = new TempFolder();
        folder.Write("posts/a.md", PostText.Of("A", "2026-01-01", extra: $"tags: [blocked, {new string('語', 100)}, {string.Join(", ", Enumerable.Range(0, 20).Select(i => $"t{i}"))}]"));
        folder.Write("out/tags/blocked", "a file where the tag's folder must go");
        var (publisher, site, _) = TestSite.Live(folder.Combine("posts"), folder.Combine("out"), Today);

        var (_, update) = Update(publisher, site, null);

        Assert.Contains("tags/blocked/feed.xml", publisher.OutputError, StringComparison.Ordinal);
        Assert.Contains("tags/blocked/feed.xml", site.Current.Documents.Keys);
        var unwritten = site.Current.Documents.Keys.Where(k => k.Length > 0 && !File.Exists(folder.Combine("out", k))).Order(StringComparer.Ordinal);
        Assert.Equal(["tags/blocked/atom.xml", "tags/blocked/feed.json", "tags/blocked/feed.xml", "tags/blocked/follow.html"], unwritten);
        Assert.Equal(site.Current.Documents.Count - 5, update.Written.Length);

        // Once the way is clear, the next update writes what was missing and the error clears.
        File.Delete(folder.Combine("out", "tags", "blocked"));
        Update(publisher, site, []);
        Assert.Null(publisher.OutputError);
        Assert.Null(site.Current.OutputError);
        Assert.True(File.Exists(folder.Combine("out", "tags", "blocked", "feed.xml")));
    }
}

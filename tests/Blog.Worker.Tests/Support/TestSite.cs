using Blog.Feeds;
using Blog.Posts;
using Blog.Serving;
using Blog.Site;
using Microsoft.Extensions.Options;

namespace Blog.Tests.Support;

/// <summary>Settings and services as the host would make them, over real folders.</summary>
public static class TestSite
{
    public static SiteOptions Site(string timeZone = "UTC") => new()
    {
        Url = "https://blog.example.com/",
        Title = "Test Blog",
        Description = "A blog for tests",
        AuthorName = "Tester",
        TimeZone = timeZone,
    };

    public static PostParser Parser(string timeZone = "UTC") => new(TimeZoneInfo.FindSystemTimeZoneById(timeZone), "blog.example.com");

    public static PostStore Store(string contentPath) =>
        new(Options.Create(new PostsOptions { ContentPath = contentPath }), Parser());

    public static PublishedPosts Posts(string contentPath) => new(new PostCatalog(Store(contentPath)));

    public static FeedPublisher Publisher(string contentPath, string outputPath, TimeProvider time, int itemsPerFeed = 20, int archivePageSize = 50) =>
        Publisher(Posts(contentPath), new FeedsOptions { OutputPath = outputPath, ItemsPerFeed = itemsPerFeed, ArchivePageSize = archivePageSize }, time);

    public static FeedPublisher Publisher(string contentPath, FeedsOptions feeds, TimeProvider time) => Publisher(Posts(contentPath), feeds, time);

    private static FeedPublisher Publisher(PublishedPosts posts, FeedsOptions feeds, TimeProvider time) =>
        new(posts, new FeedPipeline(posts, Options.Create(Site()), Options.Create(feeds)), new OutputFolder(feeds.OutputPath), time);

    /// <summary>What <c>blog run</c> publishes with: the feed publisher, the site it serves, and the posts both read.</summary>
    public static (FeedPublisher Publisher, LiveSite Site, PublishedPosts Posts) Live(string contentPath, string outputPath, TimeProvider time,
        FeedsOptions? feeds = null)
    {
        feeds ??= new FeedsOptions();
        feeds.OutputPath = outputPath;
        var posts = Posts(contentPath);
        return (Publisher(posts, feeds, time), new LiveSite(new SiteHolder(), Options.Create(Site()), new IndexPage(Blog.Templates.TemplateSet.Load("")),
            Microsoft.Extensions.Logging.Abstractions.NullLogger<LiveSite>.Instance), posts);
    }

    /// <summary>The repository's root, found from the test binary's folder.</summary>
    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "Blog.sln"))) return dir.FullName;
        throw new InvalidOperationException("Blog.sln not found above " + AppContext.BaseDirectory);
    }
}

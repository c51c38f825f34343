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

    public static FeedPublisher Publisher(string contentPath, string outputPath, TimeProvider time, int itemsPerFeed = 20, int archivePageSize = 50) =>
        new(Store(contentPath), Options.Create(Site()),
            Options.Create(new FeedsOptions { OutputPath = outputPath, ItemsPerFeed = itemsPerFeed, ArchivePageSize = archivePageSize }), time);

    public static (LivePublisher Publisher, PostCatalog Catalog, SiteHolder Site) Live(string contentPath, string outputPath, TimeProvider time,
        FeedsOptions? feeds = null)
    {
        var catalog = new PostCatalog(Store(contentPath));
        var holder = new SiteHolder();
        feeds ??= new FeedsOptions();
        feeds.OutputPath = outputPath;
        return (new LivePublisher(catalog, Options.Create(Site()), Options.Create(feeds), time, holder), catalog, holder);
    }

    /// <summary>The repository's root, found from the test binary's folder.</summary>
    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "Blog.sln"))) return dir.FullName;
        throw new InvalidOperationException("Blog.sln not found above " + AppContext.BaseDirectory);
    }
}

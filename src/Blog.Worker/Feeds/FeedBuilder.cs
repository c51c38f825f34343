using Blog.Posts;
using Blog.Site;

namespace Blog.Feeds;

/// <summary>
/// Turns published posts and their rendered bodies into feed documents. Pure: the same posts, bodies and
/// settings give the same bytes, whatever the clock or machine.
/// </summary>
public sealed class FeedBuilder(SiteOptions site, FeedsOptions options)
{
    public const string RssFile = "feed.xml";
    public const string AtomFile = "atom.xml";
    public const string JsonFile = "feed.json";
    public const string StylesheetFile = "feed.xsl";
    public static readonly ImmutableArray<string> FileNames = [RssFile, AtomFile, JsonFile];

    private readonly Uri root = site.BaseUri;
    private readonly ImmutableArray<Uri> hubs = [.. options.Hubs.Select(h => new Uri(h, UriKind.Absolute))];

    public FeedSet Plan(ImmutableArray<Post> publishedNewestFirst) => new(
        FeedPlanner.Plan(publishedNewestFirst, options.ItemsPerFeed),
        ArchivePager.Pages(publishedNewestFirst, options.ArchivePageSize));

    /// <summary>The RSS, Atom and JSON documents of one feed, and its follow page. Dispose each when done with it: it holds a pooled buffer.</summary>
    /// <param name="contents">Rendered content by post (reference identity); a post without one is listed without content.</param>
    public IEnumerable<FeedDocument> Build(FeedPlan plan, IReadOnlyDictionary<Post, FeedContent> contents, int archivePages)
    {
        var header = Header(plan.Scope);
        var entries = plan.Posts.Select(post =>
        {
            contents.TryGetValue(post, out var content);
            return FeedEntry.From(post, site.PostUri(post.Slug), post.Summary ?? content?.Excerpt, content);
        }).ToList();

        var prevArchive = plan.Scope == FeedScope.Main && archivePages > 0 ? Url(ArchivePage.PathOf(archivePages)) : null;
        yield return RssFeedWriter.Write(plan.Scope.Folder + RssFile, header, entries, Stylesheet(plan.Scope.Folder + RssFile));
        yield return AtomFeedWriter.Write(plan.Scope.Folder + AtomFile, header, entries, prevArchive, Stylesheet(plan.Scope.Folder + AtomFile));
        yield return JsonFeedWriter.Write(plan.Scope.Folder + JsonFile, header, entries);
        yield return FollowPageWriter.Write(plan.Scope.Folder + FollowPageWriter.FileName, header, XmlText.Clean(site.Title),
            plan.Scope.TagName is { } tag ? XmlText.Clean(tag) : null);
    }

    /// <summary>An archive page carries summaries and links, not content: rendering the whole history on every build would cost more than all feeds together.</summary>
    public FeedDocument BuildArchive(ArchivePage page)
    {
        var header = Header(FeedScope.Main) with { Title = XmlText.Clean($"{site.Title}: archive {page.Number} of {page.Count}") };
        var entries = page.Posts.Select(post => FeedEntry.From(post, site.PostUri(post.Slug), post.Summary, null)).ToList();
        var prev = page.Number > 1 ? Url(ArchivePage.PathOf(page.Number - 1)) : null;
        var next = page.Number < page.Count ? Url(ArchivePage.PathOf(page.Number + 1)) : null;
        return AtomFeedWriter.WriteArchive(page.Path, header, entries, Url(page.Path), prev, next, Stylesheet(page.Path));
    }

    private FeedHeader Header(FeedScope scope)
    {
        var title = scope.TagName is null ? site.Title : $"{site.Title}: {scope.TagName}";
        var description = scope.TagName is null ? site.Description : $"Posts tagged \"{scope.TagName}\" on {site.Title}";
        return new FeedHeader(
            XmlText.Clean(title),
            XmlText.Clean(description),
            XmlText.Clean(site.Language),
            XmlText.Clean(site.AuthorName.Length > 0 ? site.AuthorName : site.Title),
            site.AuthorEmail.Length > 0 ? XmlText.Clean(site.AuthorEmail) : null,
            root,
            Url(scope.Folder + RssFile),
            Url(scope.Folder + AtomFile),
            Url(scope.Folder + JsonFile),
            hubs);
    }

    /// <summary>The stylesheet's href relative to a document, so it resolves on the public site and on the local server alike.</summary>
    private string? Stylesheet(string documentPath) =>
        options.Stylesheet ? string.Concat(Enumerable.Repeat("../", documentPath.Count(c => c == '/'))) + StylesheetFile : null;

    /// <summary>The stylesheet document itself, when stylesheets are on.</summary>
    public FeedDocument? BuildStylesheet() => options.Stylesheet ? new FeedDocument(StylesheetFile, StylesheetBytes.Value) : null;

    // Read from the assembly once: the running service asks for it on every update.
    private static readonly Lazy<byte[]> StylesheetBytes = new(() =>
    {
        using var resource = typeof(FeedBuilder).Assembly.GetManifestResourceStream(StylesheetFile)!;
        using var copy = new MemoryStream();
        resource.CopyTo(copy);
        return copy.ToArray();
    });

    private Uri Url(string path) => new(root, path);
}

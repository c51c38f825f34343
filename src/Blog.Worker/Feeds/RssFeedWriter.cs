using System.ServiceModel.Syndication;
using System.Xml;

namespace Blog.Feeds;

/// <summary>RSS 2.0: the summary in <c>description</c>, the full HTML in <c>content:encoded</c>.</summary>
public static class RssFeedWriter
{
    public static FeedDocument Write(string path, FeedHeader header, IReadOnlyList<FeedEntry> entries, string? stylesheet = null)
    {
        // No feed id, author or entry update time: RSS 2.0 has no place for them, and Atom elements standing in
        // for them are flagged by validators. lastBuildDate carries the newest update.
        var feed = SyndicationXml.Feed(header, FeedHeader.UpdatedOf([.. entries]));
        feed.AttributeExtensions.Add(new XmlQualifiedName("content", "http://www.w3.org/2000/xmlns/"), RssItem.ContentNamespace);
        feed.Links.Add(SyndicationLink.CreateSelfLink(header.Rss, "application/rss+xml"));
        feed.Items = entries.Select(entry =>
        {
            var item = SyndicationXml.Item(new RssItem(entry.Content), entry);
            if (entry.Summary is not null) item.Summary = new TextSyndicationContent(entry.Summary);
            return item;
        }).ToList();
        return SyndicationXml.Serialize(path, new Rss20FeedFormatter(feed, serializeExtensionsAsAtom: true), stylesheet);
    }
}

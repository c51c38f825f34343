using System.ServiceModel.Syndication;
using System.Xml;
using System.Xml.Linq;

namespace Blog.Feeds;

/// <summary>RSS 2.0: the summary in <c>description</c>, the full HTML in <c>content:encoded</c>.</summary>
public static class RssFeedWriter
{
    private static readonly XNamespace Content = "http://purl.org/rss/1.0/modules/content/";

    public static byte[] Write(FeedHeader header, IReadOnlyList<FeedEntry> entries)
    {
        // No feed id, author or entry update time: RSS 2.0 has no place for them, and Atom elements standing in
        // for them are flagged by validators. lastBuildDate carries the newest update.
        var feed = SyndicationXml.Feed(header, FeedHeader.UpdatedOf([.. entries]));
        feed.AttributeExtensions.Add(new XmlQualifiedName("content", "http://www.w3.org/2000/xmlns/"), Content.NamespaceName);
        feed.Links.Add(SyndicationLink.CreateSelfLink(header.Rss, "application/rss+xml"));
        feed.Items = entries.Select(entry =>
        {
            var item = SyndicationXml.Item(entry);
            if (entry.Summary is not null) item.Summary = new TextSyndicationContent(entry.Summary);
            if (entry.ContentHtml is not null) item.ElementExtensions.Add(new XElement(Content + "encoded", new XAttribute(XNamespace.Xmlns + "content", Content.NamespaceName), entry.ContentHtml).CreateReader());
            return item;
        }).ToList();
        return SyndicationXml.Serialize(new Rss20FeedFormatter(feed, serializeExtensionsAsAtom: true));
    }
}

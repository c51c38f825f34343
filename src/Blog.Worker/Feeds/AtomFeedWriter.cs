using System.ServiceModel.Syndication;
using System.Xml.Linq;

namespace Blog.Feeds;

/// <summary>Atom 1.0 subscription and RFC 5005 archive documents.</summary>
public static class AtomFeedWriter
{
    private static readonly XNamespace History = "http://purl.org/syndication/history/1.0";
    private const string AtomType = "application/atom+xml";

    /// <param name="prevArchive">The newest archive page, for the main feed when archives are on.</param>
    public static FeedDocument Write(string path, FeedHeader header, IReadOnlyList<FeedEntry> entries, Uri? prevArchive = null, string? stylesheet = null)
    {
        var feed = Create(header, entries, header.Atom);
        if (prevArchive is not null) feed.Links.Add(new SyndicationLink(prevArchive, "prev-archive", null, AtomType, 0));
        return SyndicationXml.Serialize(path, new Atom10FeedFormatter(feed), stylesheet);
    }

    /// <summary>An archive document: same feed id as the subscription document, <c>fh:archive</c>, and its neighbours.</summary>
    public static FeedDocument WriteArchive(string path, FeedHeader header, IReadOnlyList<FeedEntry> entries, Uri self, Uri? prev, Uri? next, string? stylesheet = null)
    {
        var feed = Create(header, entries, self);
        feed.Links.Add(new SyndicationLink(header.Atom, "current", null, AtomType, 0));
        if (prev is not null) feed.Links.Add(new SyndicationLink(prev, "prev-archive", null, AtomType, 0));
        if (next is not null) feed.Links.Add(new SyndicationLink(next, "next-archive", null, AtomType, 0));
        feed.ElementExtensions.Add(new XElement(History + "archive").CreateReader());
        return SyndicationXml.Serialize(path, new Atom10FeedFormatter(feed), stylesheet);
    }

    private static SyndicationFeed Create(FeedHeader header, IReadOnlyList<FeedEntry> entries, Uri self)
    {
        // The formatter invents a random id and the current time when these are unset; both come from the posts.
        var feed = SyndicationXml.Feed(header, FeedHeader.UpdatedOf([.. entries]));
        feed.Id = header.Atom.AbsoluteUri;
        feed.Authors.Add(new SyndicationPerson(header.AuthorEmail, header.AuthorName, null));
        feed.Links.Add(SyndicationLink.CreateSelfLink(self, AtomType));
        feed.Items = entries.Select(entry =>
        {
            var item = SyndicationXml.Item(entry);
            item.LastUpdatedTime = entry.Updated;
            if (entry.Summary is not null) item.Summary = new TextSyndicationContent(entry.Summary);
            if (entry.Content is not null) item.Content = new EscapedHtmlContent(entry.Content);
            return item;
        }).ToList();
        return feed;
    }
}

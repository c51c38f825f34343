using System.ServiceModel.Syndication;
using System.Text;
using System.Xml;

namespace Blog.Feeds;

/// <summary>What the RSS and Atom writers share: the SyndicationFeed skeleton and byte-exact serialisation.</summary>
internal static class SyndicationXml
{
    private static readonly XmlWriterSettings Settings = new()
    {
        // A StringBuilder would declare utf-16; a stream with a BOM-less UTF-8 encoding declares what it writes.
        Encoding = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false),
        Indent = true,
        NewLineChars = "\n",
        CheckCharacters = true,
    };

    public static SyndicationFeed Feed(FeedHeader header, DateTimeOffset updated)
    {
        var feed = new SyndicationFeed
        {
            Title = new TextSyndicationContent(header.Title),
            Description = new TextSyndicationContent(header.Description.Length > 0 ? header.Description : header.Title),
            Language = header.Language,
            LastUpdatedTime = updated,
        };
        feed.Links.Add(SyndicationLink.CreateAlternateLink(header.Home, "text/html"));
        foreach (var hub in header.Hubs) feed.Links.Add(new SyndicationLink(hub, "hub", null, null, 0));
        return feed;
    }

    public static SyndicationItem Item(FeedEntry entry) => Item(new SyndicationItem(), entry);

    public static SyndicationItem Item(SyndicationItem item, FeedEntry entry)
    {
        item.Id = entry.Id;
        item.Title = new TextSyndicationContent(entry.Title);
        item.PublishDate = entry.Published;
        item.Links.Add(SyndicationLink.CreateAlternateLink(entry.Link, "text/html"));
        foreach (var tag in entry.Tags) item.Categories.Add(new SyndicationCategory(tag));
        return item;
    }

    /// <param name="stylesheet">The href of an XSL stylesheet for browsers, relative to the document, or null.</param>
    public static FeedDocument Serialize(string path, SyndicationFeedFormatter formatter, string? stylesheet) => DocumentBuffer.Capture(path, stream =>
    {
        using (var writer = XmlWriter.Create(stream, Settings))
        {
            if (stylesheet is not null) writer.WriteProcessingInstruction("xml-stylesheet", $"href=\"{stylesheet}\" type=\"text/xsl\"");
            formatter.WriteTo(writer);
        }
        stream.WriteByte((byte)'\n');
    });
}

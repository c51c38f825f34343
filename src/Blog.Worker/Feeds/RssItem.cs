using System.ServiceModel.Syndication;
using System.Xml;

namespace Blog.Feeds;

/// <summary>
/// An RSS item that writes its full HTML as <c>content:encoded</c>, escaped once ahead of time. An element
/// extension would escape it again for every feed, and Syndication buffers extensions and replays them.
/// </summary>
internal sealed class RssItem(FeedContent? content) : SyndicationItem
{
    public const string ContentNamespace = "http://purl.org/rss/1.0/modules/content/";

    protected override void WriteElementExtensions(XmlWriter writer, string version)
    {
        base.WriteElementExtensions(writer, version);
        if (content is null) return;
        writer.WriteStartElement("content", "encoded", ContentNamespace);
        writer.WriteRaw(content.XmlEscaped);
        writer.WriteEndElement();
    }
}

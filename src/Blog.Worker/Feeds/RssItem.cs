using System.ServiceModel.Syndication;
using System.Xml;

namespace Blog.Feeds;

/// <summary>
/// An RSS item that writes its full HTML as <c>content:encoded</c> straight to the writer. An element extension
/// would do the same, but Syndication buffers extensions and replays them, which doubled the cost of every feed.
/// </summary>
internal sealed class RssItem(string? contentHtml) : SyndicationItem
{
    public const string ContentNamespace = "http://purl.org/rss/1.0/modules/content/";

    protected override void WriteElementExtensions(XmlWriter writer, string version)
    {
        base.WriteElementExtensions(writer, version);
        if (contentHtml is not null) writer.WriteElementString("content", "encoded", ContentNamespace, contentHtml);
    }
}

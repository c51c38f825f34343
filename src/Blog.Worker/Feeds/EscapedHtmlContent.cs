using System.ServiceModel.Syndication;
using System.Xml;

namespace Blog.Feeds;

/// <summary>Atom <c>content type="html"</c> whose text was escaped once, ahead of time (see <see cref="FeedContent"/>).</summary>
internal sealed class EscapedHtmlContent(FeedContent content) : SyndicationContent
{
    public override string Type => "html";

    public override SyndicationContent Clone() => new EscapedHtmlContent(content);

    protected override void WriteContentsTo(XmlWriter writer) => writer.WriteRaw(content.XmlEscaped);
}

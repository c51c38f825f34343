using Blog.Feeds;

namespace Blog.Serving;

/// <summary>Media types of the documents the site serves, each with its charset.</summary>
public static class ContentTypes
{
    public const string Rss = "application/rss+xml; charset=utf-8";
    public const string Atom = "application/atom+xml; charset=utf-8";
    public const string JsonFeed = "application/feed+json; charset=utf-8";
    public const string Xsl = "text/xsl; charset=utf-8";
    public const string Html = "text/html; charset=utf-8";
    public const string Json = "application/json; charset=utf-8";

    /// <summary>What browsers are sent RSS and Atom as: they show feed types as plain text, but apply the stylesheet to XML.</summary>
    public const string Xml = "application/xml; charset=utf-8";

    public static string Of(string path) => Path.GetFileName(path) switch
    {
        FeedBuilder.RssFile => Rss,
        FeedBuilder.JsonFile => JsonFeed,
        FeedBuilder.StylesheetFile => Xsl,
        "" or FollowPageWriter.FileName => Html,
        _ => Atom, // atom.xml and the archive pages
    };
}

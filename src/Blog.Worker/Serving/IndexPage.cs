using System.Text;
using System.Text.Encodings.Web;
using Blog.Feeds;
using Blog.Posts;
using Blog.Site;

namespace Blog.Serving;

/// <summary>
/// The small HTML page at <c>/</c>: the newest posts, every tag with its feeds, and autodiscovery links so a
/// browser or reader given the site's address finds the feeds. Every value is HTML-escaped. Pure.
/// </summary>
public static class IndexPage
{
    private static readonly HtmlEncoder Html = HtmlEncoder.Default;

    public static byte[] Render(SiteOptions site, ImmutableArray<Post> publishedNewestFirst, IEnumerable<FeedScope> tags, int postsShown)
    {
        var title = Html.Encode(site.Title);
        var sb = new StringBuilder();
        sb.Append("<!doctype html>\n<html lang=\"").Append(Html.Encode(site.Language)).Append("\">\n<head>\n<meta charset=\"utf-8\">\n")
          .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
          .Append("<title>").Append(title).Append("</title>\n")
          .Append("<link rel=\"alternate\" type=\"application/rss+xml\" title=\"").Append(title).Append(" (RSS)\" href=\"feed.xml\">\n")
          .Append("<link rel=\"alternate\" type=\"application/atom+xml\" title=\"").Append(title).Append(" (Atom)\" href=\"atom.xml\">\n")
          .Append("<link rel=\"alternate\" type=\"application/feed+json\" title=\"").Append(title).Append(" (JSON Feed)\" href=\"feed.json\">\n")
          .Append("<style>body{font:16px/1.5 system-ui,sans-serif;max-width:44rem;margin:2rem auto;padding:0 1rem}li{margin:.4rem 0}small{color:#555}</style>\n")
          .Append("</head>\n<body>\n<main>\n<h1>").Append(title).Append("</h1>\n");
        if (site.Description.Length > 0) sb.Append("<p>").Append(Html.Encode(site.Description)).Append("</p>\n");
        sb.Append("<p>Subscribe: <a href=\"feed.xml\">RSS</a> · <a href=\"atom.xml\">Atom</a> · <a href=\"feed.json\">JSON Feed</a></p>\n");

        sb.Append("<h2>Posts</h2>\n<ul>\n");
        foreach (var post in publishedNewestFirst.Take(postsShown))
        {
            sb.Append("<li><a href=\"").Append(Html.Encode(site.PostUri(post.Slug).AbsoluteUri)).Append("\">")
              .Append(Html.Encode(XmlText.Clean(post.Title))).Append("</a> <small><time datetime=\"")
              .Append(post.Published.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)).Append("\">")
              .Append(post.Published.ToString("d MMM yyyy", System.Globalization.CultureInfo.InvariantCulture)).Append("</time></small></li>\n");
        }
        sb.Append("</ul>\n<h2>Tags</h2>\n<ul>\n");
        foreach (var tag in tags)
        {
            var folder = Html.Encode(Uri.EscapeDataString(tag.TagKey!));
            sb.Append("<li>").Append(Html.Encode(XmlText.Clean(tag.TagName!))).Append(": <a href=\"tags/").Append(folder).Append("/feed.xml\">RSS</a> · <a href=\"tags/")
              .Append(folder).Append("/atom.xml\">Atom</a> · <a href=\"tags/").Append(folder).Append("/feed.json\">JSON Feed</a></li>\n");
        }
        sb.Append("</ul>\n</main>\n</body>\n</html>\n");
        return Encoding.UTF8.GetBytes(sb.ToString());
    }
}

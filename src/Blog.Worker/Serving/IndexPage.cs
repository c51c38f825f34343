using System.Globalization;
using System.Text;
using Blog.Feeds;
using Blog.Posts;
using Blog.Site;
using Blog.Templates;

namespace Blog.Serving;

/// <summary>
/// The small HTML page at <c>/</c>, from <c>templates/web/index.html.sbn</c> (which the owner may replace): the newest
/// posts, every tag with its feeds, and autodiscovery links so a browser or reader given the site's address finds the
/// feeds. Every value reaches the template HTML-escaped.
/// </summary>
public sealed class IndexPage(TemplateSet templates)
{
    public const string TemplateName = "web/index.html";

    /// <exception cref="TemplateException">The template failed or went past a limit.</exception>
    public byte[] Render(SiteOptions site, ImmutableArray<Post> publishedNewestFirst, IEnumerable<FeedScope> tags, int postsShown)
    {
        var model = new TemplateModel
        {
            ["site_title"] = site.Title,
            ["description"] = site.Description,
            ["lang"] = site.Language,
            ["posts"] = publishedNewestFirst.Take(postsShown).Select(post => new TemplateModel
            {
                ["title"] = XmlText.Clean(post.Title),
                ["url"] = site.PostUri(post.Slug),
                ["datetime"] = post.Published.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                ["date"] = post.Published.ToString("d MMM yyyy", CultureInfo.InvariantCulture),
            }).ToList(),
            ["tags"] = tags.Select(tag => new TemplateModel
            {
                ["name"] = XmlText.Clean(tag.TagName!),
                ["key"] = tag.TagKey,
                ["folder"] = $"tags/{Uri.EscapeDataString(tag.TagKey!)}/",
            }).ToList(),
        };
        return Encoding.UTF8.GetBytes(templates.Render(TemplateName, model));
    }
}

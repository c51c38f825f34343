using System.Globalization;
using System.Text;
using Blog.Admin.Runs;
using Blog.Digests;
using Blog.Feeds;
using Blog.Posts;
using Blog.Site;
using Microsoft.AspNetCore.Http;

namespace Blog.Admin.Posts;

/// <summary>
/// The catalogue as the service holds it now (the snapshot the feeds are built from): each post published, draft,
/// scheduled or broken, when it was first seen public, the runs that mailed it, and the feeds that carry it (as
/// <see cref="FeedPlanner"/> plans them, so this page can never disagree with the feeds).
/// </summary>
internal sealed class PostsPage(PublishedPosts posts, IRunHistory history, IOptions<FeedsOptions> feeds, IOptions<SiteOptions> site, TimeProvider time)
{
    /// <summary>Posts on one page: the runs that mailed each are looked up for the page shown only.</summary>
    public const int PageSize = 100;

    /// <summary>The runs looked at for each post, from when it was first seen public: the first runs of each cadence after it.</summary>
    public const int MaxRunsPerPost = 6;

    public async Task ListAsync(HttpContext context)
    {
        var cancellationToken = context.RequestAborted;
        var now = time.GetUtcNow();
        PostSnapshot snapshot;
        try
        {
            snapshot = posts.Latest ?? await posts.SnapshotAsync(cancellationToken);
        }
        catch (PostStoreException e)
        {
            await AdminPage.WriteAsync(context, "Posts", AdminSection.Posts, $"<p>The posts cannot be read: {AdminPage.Encode(e.Message)}</p>",
                StatusCodes.Status503ServiceUnavailable);
            return;
        }
        var published = snapshot.Published(now);
        var plans = FeedPlanner.Plan(published, feeds.Value.ItemsPerFeed);
        var carriedBy = new Dictionary<string, List<FeedScope>>(StringComparer.Ordinal);
        foreach (var plan in plans)
            foreach (var post in plan.Posts)
                (carriedBy.TryGetValue(post.Id, out var scopes) ? scopes : carriedBy[post.Id] = []).Add(plan.Scope);
        var broken = snapshot.Problems.GroupBy(p => p.Path, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
        var seen = await history.FirstSeenAsync(cancellationToken);

        var all = snapshot.Posts.OrderByDescending(p => p.Published.UtcTicks).ThenBy(p => p.Slug, StringComparer.Ordinal).ToList();
        var pages = Math.Max(1, (all.Count + PageSize - 1) / PageSize);
        var page = int.TryParse(context.Request.Query["page"], NumberStyles.None, CultureInfo.InvariantCulture, out var p) && p >= 1 ? Math.Min(p, pages) : 1;

        var body = new StringBuilder();
        var drafts = snapshot.Posts.Count(x => x.Draft);
        var scheduled = snapshot.Posts.Count(x => !x.Draft && x.Published > now);
        body.Append("<p>").Append(Count(published.Length, "post", "posts")).Append(" published, ").Append(Count(scheduled, "scheduled", "scheduled"))
            .Append(", ").Append(Count(drafts, "draft", "drafts")).Append(", ").Append(Count(broken.Count, "file", "files")).Append(" with problems.</p>");

        if (snapshot.Problems.Length > 0)
        {
            // A broken file keeps its last good version published (if it had one); its problems say what to fix.
            body.Append("<section><h2>Broken</h2><table><thead><tr><th scope=\"col\">File</th><th scope=\"col\">Line</th><th scope=\"col\">Field</th>")
                .Append("<th scope=\"col\">Value</th><th scope=\"col\">Problem</th></tr></thead><tbody>");
            foreach (var problem in snapshot.Problems)
                body.Append("<tr class=\"broken\"><td>").Append(AdminPage.Encode(Relative(problem.Path))).Append("</td><td>")
                    .Append(problem.Line > 0 ? problem.Line.ToString(CultureInfo.InvariantCulture) : "").Append("</td><td>").Append(AdminPage.Encode(problem.Field))
                    .Append("</td><td>").Append(AdminPage.Encode(problem.Value.Length == 0 ? "" : PostProblem.Quote(problem.Value))).Append("</td><td>")
                    .Append(AdminPage.Encode(problem.Message)).Append("</td></tr>");
            body.Append("</tbody></table></section>");
        }

        body.Append("<section><h2>Catalogue</h2>");
        if (all.Count == 0) body.Append("<p>No posts.</p>");
        else
        {
            body.Append("<table><thead><tr><th scope=\"col\">Post</th><th scope=\"col\">State</th><th scope=\"col\">Date</th><th scope=\"col\">First seen public</th>")
                .Append("<th scope=\"col\">Mailed by</th><th scope=\"col\">Feeds</th></tr></thead><tbody>");
            foreach (var post in all.Skip((page - 1) * PageSize).Take(PageSize))
            {
                var state = post.Draft ? "draft" : post.Published > now ? "scheduled" : "published";
                DateTimeOffset? since = state == "published" && seen.TryGetValue(PublicPost.LogKey(post), out var s) ? s : null;
                body.Append("<tr class=\"").Append(state).Append("\"><th scope=\"row\">");
                if (state == "published" && PostLink(post) is { } link)
                    body.Append("<a href=\"").Append(AdminPage.Encode(link)).Append("\">").Append(AdminPage.Encode(post.Title)).Append("</a>");
                else body.Append(AdminPage.Encode(post.Title));
                body.Append("<br><small>").Append(AdminPage.Encode(Relative(post.SourcePath))).Append("</small></th><td>").Append(state);
                if (state == "scheduled") body.Append(" for ").Append(RunPages.When(post.Published));
                if (broken.TryGetValue(post.SourcePath, out var problems))
                    body.Append("; <strong>broken</strong>: its last good version is kept (").Append(Count(problems.Count, "problem", "problems")).Append(" above)");
                body.Append("</td><td>").Append(RunPages.When(post.Published)).Append("</td><td>").Append(RunPages.When(since)).Append("</td><td>");
                if (since is { } from)
                {
                    var runs = await history.CarriedByAsync(post.Id, from, MaxRunsPerPost, cancellationToken);
                    body.Append(string.Join(", ", runs.Select(r => $"<a href=\"{AdminPage.Encode(AdminPage.Url(context, RunPages.RunPath(r)))}\">{AdminPage.Encode(r)}</a>")));
                }
                body.Append("</td><td>");
                if (carriedBy.TryGetValue(post.Id, out var scopes))
                    body.Append(string.Join(", ", scopes.Select(scope =>
                        $"<a href=\"{AdminPage.Encode(FeedLink(scope))}\">{AdminPage.Encode(scope.TagName is null ? "index" : "tag " + scope.TagName)}</a>")));
                body.Append("</td></tr>");
            }
            body.Append("</tbody></table>");
            if (pages > 1)
            {
                body.Append("<nav aria-label=\"Pages\"><p>Page ").Append(page.ToString(CultureInfo.InvariantCulture)).Append(" of ").Append(pages.ToString(CultureInfo.InvariantCulture));
                if (page > 1) body.Append(" <a rel=\"prev\" href=\"").Append(AdminPage.Encode(AdminPage.Url(context, "/posts") + "?page=" + (page - 1).ToString(CultureInfo.InvariantCulture))).Append("\">Previous</a>");
                if (page < pages) body.Append(" <a rel=\"next\" href=\"").Append(AdminPage.Encode(AdminPage.Url(context, "/posts") + "?page=" + (page + 1).ToString(CultureInfo.InvariantCulture))).Append("\">Next</a>");
                body.Append("</p></nav>");
            }
        }
        body.Append("</section>");
        await AdminPage.WriteAsync(context, "Posts", AdminSection.Posts, body.ToString());
    }

    private string Relative(string path) => Path.GetRelativePath(posts.ContentPath, path);

    private Uri? Base => Uri.TryCreate(site.Value.Url, UriKind.Absolute, out var url) && url.Scheme is "http" or "https" ? site.Value.BaseUri : null;

    private string? PostLink(Post post) => Base is null ? null : site.Value.PostUri(post.Slug).AbsoluteUri;

    /// <summary>The feed's RSS document, on the public site (<c>Site:Url</c>), or its path when that is not set.</summary>
    private string FeedLink(FeedScope scope) => Base is { } root ? new Uri(root, scope.Folder + FeedBuilder.RssFile).AbsoluteUri : "/" + scope.Folder + FeedBuilder.RssFile;

    private static string Count(int n, string one, string many) => n.ToString(CultureInfo.InvariantCulture) + " " + (n == 1 ? one : many);
}

using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Blog.Admin;
using Blog.MailingList;
using Blog.Storage;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;

namespace Blog.Tests.Admin.Access;

/// <summary>
/// Every console route, as the running app lists them (so routes added later are covered without changing this test):
/// none answers without a session, or changes anything; every page carries the strict CSP and has no inline script or style.
/// </summary>
public sealed partial class ConsoleRoutesTests
{
    /// <summary>The console's routes: path (parameters filled with 1), methods, and whether they need a signed-in owner.</summary>
    private static List<(string Path, string[] Methods, bool Owner)> Routes(RunningBlog blog) =>
        [.. blog.Service<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<AdminEndpoint>() == AdminEndpoint.Console)
            .Select(e => (Fill(e.RoutePattern), e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods.ToArray() ?? ["GET", "POST"],
                e.Metadata.GetOrderedMetadata<IAuthorizeData>().Any() && e.Metadata.GetMetadata<IAllowAnonymous>() is null))];

    private static string Fill(RoutePattern pattern) => "/" + string.Join('/', pattern.PathSegments.Select(segment => string.Concat(segment.Parts.Select(part => part switch
    {
        RoutePatternLiteralPart literal => literal.Content,
        RoutePatternSeparatorPart separator => separator.Content,
        _ => "1",
    }))));

    [Fact]
    public async Task Every_console_route_that_needs_an_owner_refuses_a_request_without_a_session_and_changes_nothing()
    {
        using var folder = new TempFolder();
        await using var blog = await SignInTests.StartAsync(folder);
        var owner = await ConsoleSession.AccountAsync(blog);
        await blog.Service<ISubscriberStore>().ImportAsync([new SubscriberDraft(EmailAddress.Parse("reader@example.com"), [], "weekly", SubscriberStatus.Active)],
            DateTimeOffset.UtcNow, null, null, CancellationToken.None);
        using var stranger = ConsoleSession.Anonymous(blog);
        // A real antiforgery field (anyone may have one), so it is the missing session that stops each request.
        var (field, token) = await stranger.AntiforgeryAsync("/signin");
        var before = await SnapshotAsync(blog);

        var routes = Routes(blog).Where(r => r.Owner).ToList();
        Assert.Contains(routes, r => r.Path == "/account/signout-everywhere");
        foreach (var (path, methods, _) in routes)
            foreach (var method in methods)
            {
                using var request = new HttpRequestMessage(new HttpMethod(method), path.TrimStart('/'));
                if (method != "GET" && method != "HEAD")
                    request.Content = new FormUrlEncodedContent([new(field, token), new("confirm", "forget"), new("password", "a long enough password"),
                        new("current", "a long enough password"), new("address", "reader@example.com"), new("cadence", "daily"), new("tags", "x")]);
                var response = await stranger.Client.SendAsync(request);
                var refused = response.StatusCode == HttpStatusCode.Unauthorized
                    || (response.StatusCode == HttpStatusCode.Redirect && new Uri(blog.ConsoleAddress, response.Headers.Location!).AbsolutePath == "/signin");
                Assert.True(refused, $"{method} {path} without a session answered {(int)response.StatusCode} {response.Headers.Location}");
            }
        Assert.Equal(before, await SnapshotAsync(blog));
        Assert.Equal(owner.SecurityStamp, await blog.Service<Blog.Admin.Access.IAdminAccounts>().StampAsync(owner.Id, CancellationToken.None));
    }

    [Fact]
    public async Task Every_console_page_carries_the_strict_CSP_and_no_inline_script_or_style()
    {
        using var folder = new TempFolder();
        await using var blog = await SignInTests.StartAsync(folder);
        using var anonymous = ConsoleSession.Anonymous(blog);
        using var owner = await ConsoleSession.SignInAsync(blog);
        var pages = Routes(blog).Where(r => r.Methods.Contains("GET")).ToList();
        Assert.Contains(pages, p => p.Path == "/account");
        var checkedPages = 0;
        foreach (var (path, _, needsOwner) in pages.Append(("/setup", ["GET"], false)).Append(("/setup?token=nonsense", ["GET"], false)))
        {
            foreach (var session in needsOwner ? [owner] : new[] { owner, anonymous })
            {
                using var response = await session.GetAsync(path);
                Assert.Equal(Blog.Admin.ConsoleHeaders.ContentSecurityPolicy, response.Headers.GetValues("Content-Security-Policy").Single());
                if (response.Content.Headers.ContentType?.MediaType != "text/html") continue;
                var html = await response.Content.ReadAsStringAsync();
                Assert.DoesNotMatch(InlineScript(), html);
                Assert.DoesNotMatch(InlineStyle(), html);
                checkedPages++;
            }
        }
        Assert.True(checkedPages >= 4, $"only {checkedPages} console pages were checked");
    }

    /// <summary>A script element without a src, or an event handler attribute.</summary>
    [GeneratedRegex(@"<script(?![^>]*\bsrc=)[^>]*>|\son[a-z]+\s*=", RegexOptions.IgnoreCase)]
    private static partial Regex InlineScript();

    [GeneratedRegex(@"<style[\s>]|\sstyle\s*=", RegexOptions.IgnoreCase)]
    private static partial Regex InlineStyle();

    /// <summary>Every row of every table, in order: whatever a console route could change.</summary>
    private static async Task<string> SnapshotAsync(RunningBlog blog)
    {
        var database = blog.Service<Database>();
        await using var connection = await database.OpenAsync(CancellationToken.None);
        var tables = new List<string>();
        await using (var list = connection.CreateCommand())
        {
            list.CommandText = "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name";
            await using var reader = await list.ExecuteReaderAsync();
            while (await reader.ReadAsync()) tables.Add(reader.GetString(0));
        }
        var text = new StringBuilder();
        foreach (var table in tables)
        {
            await using var select = connection.CreateCommand();
            select.CommandText = $"SELECT * FROM \"{table}\" ORDER BY 1";
            await using var reader = await select.ExecuteReaderAsync();
            text.Append(table).Append('\n');
            while (await reader.ReadAsync())
            {
                for (var i = 0; i < reader.FieldCount; i++)
                    text.Append(reader.IsDBNull(i) ? "null" : reader.GetValue(i) is byte[] bytes ? Convert.ToHexString(bytes) : Convert.ToString(reader.GetValue(i), System.Globalization.CultureInfo.InvariantCulture)).Append('|');
                text.Append('\n');
            }
        }
        return text.ToString();
    }
}

using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using Blog.Serving;

namespace Blog.Tests.Serving;

/// <summary>Against real Kestrel on loopback, serving the sample blog.</summary>
public sealed class SiteEndpointTests : IAsyncLifetime
{
    private readonly TempFolder output = new();
    private RunningBlog blog = null!;

    public async Task InitializeAsync() =>
        blog = await RunningBlog.StartAsync(Path.Combine(TestSite.RepositoryRoot(), "content", "posts"), output.Path);

    public async Task DisposeAsync()
    {
        await blog.DisposeAsync();
        output.Dispose();
    }

    private async Task<HttpResponseMessage> Get(string path, Action<HttpRequestHeaders>? headers = null, HttpMethod? method = null)
    {
        using var request = new HttpRequestMessage(method ?? HttpMethod.Get, path);
        headers?.Invoke(request.Headers);
        return await blog.Client.SendAsync(request);
    }

    public static TheoryData<string, string?, string?, HttpStatusCode> Conditions() => new()
    {
        // name, If-None-Match ({etag} = current), If-Modified-Since ({lm} = current Last-Modified), expected
        { "no validators", null, null, HttpStatusCode.OK },
        { "current etag", "{etag}", null, HttpStatusCode.NotModified },
        { "weak form of current etag", "W/{etag}", null, HttpStatusCode.NotModified },
        { "star", "*", null, HttpStatusCode.NotModified },
        { "stale etag", "\"0123\"", null, HttpStatusCode.OK },
        { "list holding the current etag", "\"0123\", {etag}", null, HttpStatusCode.NotModified },
        { "gzip variant of current etag", "{gzip-etag}", null, HttpStatusCode.NotModified },
        { "date equal to Last-Modified", null, "{lm}", HttpStatusCode.NotModified },
        { "date after Last-Modified", null, "{lm+1d}", HttpStatusCode.NotModified },
        { "date before Last-Modified", null, "{lm-1s}", HttpStatusCode.OK },
        { "unparseable date", null, "yesterday", HttpStatusCode.OK },
        { "stale etag wins over a current date", "\"0123\"", "{lm}", HttpStatusCode.OK },
        { "current etag wins over an old date", "{etag}", "{lm-1s}", HttpStatusCode.NotModified },
    };

    [Theory]
    [MemberData(nameof(Conditions))]
    public async Task Conditional_get_follows_rfc_9110(string name, string? ifNoneMatch, string? ifModifiedSince, HttpStatusCode expected)
    {
        using var first = await Get("feed.xml");
        var etag = first.Headers.ETag!.ToString();
        var lastModified = first.Content.Headers.LastModified!.Value;
        string Fill(string v) => v.Replace("{etag}", etag, StringComparison.Ordinal)
            .Replace("{gzip-etag}", etag.TrimEnd('"') + "-gzip\"", StringComparison.Ordinal)
            .Replace("{lm}", lastModified.ToString("R"), StringComparison.Ordinal)
            .Replace("{lm+1d}", lastModified.AddDays(1).ToString("R"), StringComparison.Ordinal)
            .Replace("{lm-1s}", lastModified.AddSeconds(-1).ToString("R"), StringComparison.Ordinal);

        foreach (var method in new[] { HttpMethod.Get, HttpMethod.Head })
        {
            using var response = await Get("feed.xml", h =>
            {
                if (ifNoneMatch is not null) h.TryAddWithoutValidation("If-None-Match", Fill(ifNoneMatch));
                if (ifModifiedSince is not null) h.TryAddWithoutValidation("If-Modified-Since", Fill(ifModifiedSince));
            }, method);
            Assert.True(expected == response.StatusCode, $"{name} ({method}): expected {expected}, got {response.StatusCode}");
            Assert.Equal(etag, response.Headers.ETag!.ToString());
            Assert.Equal("max-age=300", response.Headers.CacheControl!.ToString());
            var body = await response.Content.ReadAsByteArrayAsync();
            if (expected == HttpStatusCode.OK && method == HttpMethod.Get) Assert.Equal(first.Content.Headers.ContentLength, body.Length);
            else Assert.Empty(body);
        }
    }

    [Fact]
    public async Task Validators_are_the_hash_of_the_bytes_and_the_newest_entry_time()
    {
        using var response = await Get("feed.xml");
        var bytes = await response.Content.ReadAsByteArrayAsync();
        // The site is served before its files are written; a file, once there, is whole (it is renamed into place).
        await Eventually.Until(() => File.Exists(output.Combine("feed.xml")), "feed.xml being written");
        Assert.Equal(File.ReadAllBytes(output.Combine("feed.xml")), bytes);
        // A strong, quoted validator that names these bytes: the same for the same bytes (another request, another
        // node), another for any change to them.
        var etag = response.Headers.ETag!;
        Assert.False(etag.IsWeak);
        Assert.Matches("^\"[^\"]+\"$", etag.Tag);
        using (var again = await Get("feed.xml")) Assert.Equal(etag.Tag, again.Headers.ETag!.Tag);
        Assert.Equal(etag.Tag, new ServedDocument("elsewhere.xml", [.. bytes], ContentTypes.Rss, null).ETag);
        var changed = bytes.ToArray();
        changed[^2] ^= 1;
        Assert.NotEqual(etag.Tag, new ServedDocument("feed.xml", changed, ContentTypes.Rss, null).ETag);
        // The sample blog's newest post is dated 2026-03-21.
        Assert.Equal(new DateTimeOffset(2026, 3, 21, 0, 0, 0, TimeSpan.Zero), response.Content.Headers.LastModified);
    }

    [Theory]
    [InlineData("gzip", "gzip")]
    [InlineData("br", "br")]
    [InlineData("gzip, br", "br")]
    [InlineData("gzip;q=1, br;q=0.5", "gzip")]
    [InlineData("*", "br")]
    [InlineData("br;q=0, gzip;q=0", null)]
    [InlineData("identity", null)]
    public async Task Compression_follows_accept_encoding_and_decodes_to_the_same_bytes(string accept, string? coding)
    {
        using var plain = await Get("tags/rag/atom.xml");
        var identity = await plain.Content.ReadAsByteArrayAsync();
        using var response = await Get("tags/rag/atom.xml", h => h.TryAddWithoutValidation("Accept-Encoding", accept));
        var body = await response.Content.ReadAsByteArrayAsync();
        Assert.Contains("Accept-Encoding", response.Headers.Vary);
        if (coding is null)
        {
            Assert.Empty(response.Content.Headers.ContentEncoding);
            Assert.Equal(identity, body);
            return;
        }
        Assert.Equal(coding, Assert.Single(response.Content.Headers.ContentEncoding));
        Assert.Equal(plain.Headers.ETag!.Tag.TrimEnd('"') + "-" + coding + "\"", response.Headers.ETag!.Tag);
        Assert.True(body.Length < identity.Length);
        using var decoder = coding == "gzip" ? (Stream)new GZipStream(new MemoryStream(body), CompressionMode.Decompress) : new BrotliStream(new MemoryStream(body), CompressionMode.Decompress);
        using var decoded = new MemoryStream();
        await decoder.CopyToAsync(decoded);
        Assert.Equal(identity, decoded.ToArray());
    }

    [Fact]
    public void Each_version_is_compressed_once()
    {
        var document = blog.Site.Documents["feed.xml"];
        Assert.Same(document.BytesFor("gzip"), document.BytesFor("gzip"));
        Assert.Same(document.BytesFor("br"), document.BytesFor("br"));
    }

    [Theory]
    [InlineData("feed.xml", "application/rss+xml; charset=utf-8")]
    [InlineData("atom.xml", "application/atom+xml; charset=utf-8")]
    [InlineData("feed.json", "application/feed+json; charset=utf-8")]
    [InlineData("tags/lora/feed.json", "application/feed+json; charset=utf-8")]
    [InlineData("archive/1.xml", "application/atom+xml; charset=utf-8")]
    [InlineData("feed.xsl", "text/xsl; charset=utf-8")]
    [InlineData("", "text/html; charset=utf-8")]
    public async Task Content_types_carry_their_charset(string path, string contentType)
    {
        using var response = await Get(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(contentType, response.Content.Headers.ContentType!.ToString());
    }

    [Theory]
    [InlineData("feed.xml", "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,*/*;q=0.8", "application/xml; charset=utf-8")]
    [InlineData("atom.xml", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", "application/xml; charset=utf-8")]
    [InlineData("feed.xml", "application/rss+xml, application/atom+xml, text/html;q=0.5", "application/rss+xml; charset=utf-8")]
    [InlineData("feed.xml", "*/*", "application/rss+xml; charset=utf-8")]
    [InlineData("feed.json", "text/html,*/*;q=0.8", "application/feed+json; charset=utf-8")]
    public async Task Browsers_get_rss_and_atom_as_xml_so_that_they_apply_the_stylesheet(string path, string accept, string contentType)
    {
        using var plain = await Get(path);
        using var response = await Get(path, h => h.TryAddWithoutValidation("Accept", accept));
        Assert.Equal(contentType, response.Content.Headers.ContentType!.ToString());
        Assert.Equal(await plain.Content.ReadAsByteArrayAsync(), await response.Content.ReadAsByteArrayAsync());
        Assert.Contains("Accept", response.Headers.Vary);
    }

    [Fact]
    public async Task The_index_page_links_every_feed_for_discovery()
    {
        var html = await blog.Client.GetStringAsync("");
        Assert.Contains("<link rel=\"alternate\" type=\"application/rss+xml\" title=\"Blog (RSS)\" href=\"feed.xml\">", html, StringComparison.Ordinal);
        Assert.Contains("type=\"application/atom+xml\"", html, StringComparison.Ordinal);
        Assert.Contains("type=\"application/feed+json\"", html, StringComparison.Ordinal);
        Assert.Contains("href=\"tags/kv-cache/atom.xml\"", html, StringComparison.Ordinal);
        Assert.Contains("Hallucination Is a Distribution Problem", html, StringComparison.Ordinal);
        // Every tag and every post of the sample blog is on the page.
        Assert.Equal(15, System.Text.RegularExpressions.Regex.Count(html, "<time "));
    }

    [Fact]
    public async Task Unknown_paths_are_404_and_other_methods_405()
    {
        using var missing = await Get("nope.xml");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        using var post = await Get("feed.xml", method: HttpMethod.Post);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, post.StatusCode);
        Assert.Contains("GET", post.Content.Headers.Allow);
    }

    [Fact]
    public async Task Every_response_says_nosniff()
    {
        using var first = await Get("feed.xml");
        var etag = first.Headers.ETag!.ToString();
        var responses = new List<HttpResponseMessage>
        {
            first,
            await Get(""),
            await Get("feed.json", method: HttpMethod.Head),
            await Get("feed.xml", h => h.TryAddWithoutValidation("If-None-Match", etag)),
            await Get("nope.xml"),
            await Get("feed.xml", method: HttpMethod.Post),
            await Get("healthz"),
        };
        Assert.Equal(HttpStatusCode.NotModified, responses[3].StatusCode);
        foreach (var response in responses)
        {
            Assert.True(response.Headers.TryGetValues("X-Content-Type-Options", out var values), $"{response.RequestMessage!.RequestUri} ({response.StatusCode})");
            Assert.Equal("nosniff", Assert.Single(values));
            response.Dispose();
        }
    }
}

using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace Blog.Serving;

/// <summary>
/// Serves the current <see cref="PublishedSite"/>: GET and HEAD with strong ETags, Last-Modified, 304s, and
/// precompressed br or gzip by Accept-Encoding. (<c>/healthz</c> and <c>/readyz</c> are <c>Operations/HealthEndpoints</c>.)
/// </summary>
internal sealed class SiteEndpoint(SiteHolder holder, IOptions<HttpOptions> options, Blog.Feeds.FeedMetrics metrics, Blog.Readership.ReadershipBuffer readership)
{
    private long notModified;

    /// <summary>How many 304s were sent, for tests and the curious.</summary>
    public long NotModifiedCount => Interlocked.Read(ref notModified);

    public async Task InvokeAsync(HttpContext context)
    {
        var request = context.Request;
        var response = context.Response;
        var site = holder.Current;
        // A feed a browser sniffed as HTML would run the script a post's title smuggled in: every answer says nosniff.
        response.Headers.XContentTypeOptions = "nosniff";
        var path = Uri.UnescapeDataString(request.Path.Value ?? "/").TrimStart('/');
        if (path == "index.html") path = "";
        if (!site.Documents.TryGetValue(path, out var document))
        {
            response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }
        if (!HttpMethods.IsGet(request.Method) && !HttpMethods.IsHead(request.Method))
        {
            response.StatusCode = StatusCodes.Status405MethodNotAllowed;
            response.Headers.Allow = "GET, HEAD";
            return;
        }

        var headers = request.GetTypedHeaders();
        var coding = ConditionalRequest.ChooseCoding(headers.AcceptEncoding);
        var typed = response.GetTypedHeaders();
        response.Headers.ETag = document.ETagFor(coding);
        if (document.LastModified is { } modified) typed.LastModified = modified;
        response.Headers.CacheControl = $"max-age={(long)options.Value.MaxAge.TotalSeconds}";
        response.Headers.Vary = "Accept-Encoding, Accept";

        DateTimeOffset? since = null;
        if (request.Headers.IfModifiedSince.Count > 0 && headers.IfModifiedSince is { } ims) since = ims;
        // A feed reader's poll, answered either way: counted (in memory only, written later) for the owner's readership.
        if (IsSubscriptionFeed(path)) readership.Record(path, request.Headers.UserAgent.ToString(), context.Connection.RemoteIpAddress);
        if (ConditionalRequest.IsNotModified(headers.IfNoneMatch, since, document.ETags, document.LastModified))
        {
            Interlocked.Increment(ref notModified);
            response.StatusCode = StatusCodes.Status304NotModified;
            if (FeedFormat(document.ContentType) is { } notModifiedFormat) metrics.Request(notModifiedFormat, StatusCodes.Status304NotModified);
            return;
        }

        var bytes = document.BytesFor(coding);
        response.ContentType = document.ContentType is ContentTypes.Rss or ContentTypes.Atom && IsBrowser(request) ? ContentTypes.Xml : document.ContentType;
        if (coding is not null) response.Headers.ContentEncoding = coding;
        response.ContentLength = bytes.Length;
        if (FeedFormat(document.ContentType) is { } format) metrics.Request(format, StatusCodes.Status200OK);
        if (HttpMethods.IsHead(request.Method)) return;
        await response.Body.WriteAsync(bytes, context.RequestAborted);
    }

    private static string? FeedFormat(string contentType) => contentType switch
    {
        ContentTypes.Rss => "rss",
        ContentTypes.Atom => "atom",
        ContentTypes.JsonFeed => "json",
        _ => null,
    };

    /// <summary>The index's and the tags' feeds, which readers subscribe to; not the archive pages a reader pages through once.</summary>
    private static bool IsSubscriptionFeed(string path)
    {
        var name = path.AsSpan(path.LastIndexOf('/') + 1);
        var folder = path.AsSpan(0, path.Length - name.Length);
        foreach (var file in Blog.Feeds.FeedBuilder.FileNames)
            if (name.SequenceEqual(file)) return folder.IsEmpty || (folder.StartsWith("tags/") && folder.Count('/') == 2);
        return false;
    }

    /// <summary>A browser asks for HTML and names no feed type; feed readers name theirs or take anything.</summary>
    private static bool IsBrowser(HttpRequest request)
    {
        var accept = request.Headers.Accept.ToString();
        return accept.Contains("text/html", StringComparison.OrdinalIgnoreCase)
            && !accept.Contains("rss+xml", StringComparison.OrdinalIgnoreCase)
            && !accept.Contains("atom+xml", StringComparison.OrdinalIgnoreCase);
    }
}

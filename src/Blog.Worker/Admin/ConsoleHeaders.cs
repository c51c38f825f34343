using Microsoft.AspNetCore.Http;

namespace Blog.Admin;

/// <summary>The headers on every console answer: a strict CSP with no inline script or style, no caching, no framing by others.</summary>
internal static class ConsoleHeaders
{
    // frame-src 'self' and frame-ancestors 'self': the digest preview is a console page shown in a sandboxed frame.
    public const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
        "form-action 'self'; frame-src 'self'; frame-ancestors 'self'; base-uri 'none'";

    public static void Apply(HttpResponse response)
    {
        var headers = response.Headers;
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "SAMEORIGIN";
        headers.CacheControl = "no-store";
        headers["Referrer-Policy"] = "same-origin";
        headers["Cross-Origin-Opener-Policy"] = "same-origin";
    }
}

using Microsoft.Net.Http.Headers;

namespace Blog.Serving;

/// <summary>RFC 9110 §13.2.2 for a safe request: whether a stored copy the client names is still current. Pure.</summary>
public static class ConditionalRequest
{
    /// <param name="ifNoneMatch">Parsed If-None-Match, or empty when absent.</param>
    /// <param name="ifModifiedSince">Parsed If-Modified-Since, or null when absent or not a valid HTTP date.</param>
    /// <param name="current">Every ETag of the current version (one per content coding): all name the same content.</param>
    public static bool IsNotModified(IList<EntityTagHeaderValue> ifNoneMatch, DateTimeOffset? ifModifiedSince, IReadOnlyList<EntityTagHeaderValue> current, DateTimeOffset? lastModified)
    {
        // If-None-Match, when present, decides alone; If-Modified-Since is then ignored (§13.2.2 step 3 before 4).
        if (ifNoneMatch.Count > 0)
        {
            // Weak comparison (§8.8.3.2): W/"x" matches "x".
            return ifNoneMatch.Any(tag => tag.Equals(EntityTagHeaderValue.Any) || current.Any(c => c.Compare(tag, useStrongComparison: false)));
        }
        return ifModifiedSince is { } since && lastModified is { } modified && modified <= since;
    }

    /// <summary>The content coding to send: br, then gzip, as the client accepts them (q=0 refuses), else identity (null).</summary>
    public static string? ChooseCoding(IList<StringWithQualityHeaderValue> acceptEncoding)
    {
        double Quality(string coding)
        {
            var exact = acceptEncoding.FirstOrDefault(a => string.Equals(a.Value.Value, coding, StringComparison.OrdinalIgnoreCase));
            var any = acceptEncoding.FirstOrDefault(a => a.Value.Value == "*");
            var chosen = exact ?? any;
            return chosen is null ? 0 : chosen.Quality ?? 1;
        }
        var br = Quality("br");
        var gzip = Quality("gzip");
        if (br <= 0 && gzip <= 0) return null;
        return br >= gzip ? "br" : "gzip";
    }
}

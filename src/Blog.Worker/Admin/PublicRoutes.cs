using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Template;

namespace Blog.Admin;

/// <summary>
/// The public listener's routes (every route without the console's mark), to tell a 405 that a public route owes the
/// client from one only a console route would give. The router builds the 405 from all routes on a path, before
/// <see cref="ConsoleMatcherPolicy"/> can set the console's aside.
/// </summary>
internal sealed class PublicRoutes(EndpointDataSource endpoints)
{
    // The router's own rejection endpoint carries only this name (HttpMethodMatcherPolicy).
    private const string MethodRefusal = "405 HTTP Method Not Supported";

    private List<TemplateMatcher>? matchers;

    public bool IsMethodRefusalForConsoleOnly(Endpoint endpoint, PathString path)
    {
        if (!string.Equals(endpoint.DisplayName, MethodRefusal, StringComparison.Ordinal)) return false;
        matchers ??= [.. endpoints.Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<AdminEndpoint>() is null or { IsEverywhere: true })
            .Select(e => new TemplateMatcher(TemplateParser.Parse(e.RoutePattern.RawText ?? "/"), new RouteValueDictionary()))];
        return !matchers.Any(m => m.TryMatch(path, new RouteValueDictionary()));
    }
}

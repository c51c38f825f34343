using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Matching;

namespace Blog.Admin;

/// <summary>
/// Routes by listener before anything else: a request on the public listener never matches a console route (it falls
/// through to the site, as if the console did not exist), and one on the console's listener matches nothing public.
/// Deciding during matching, not after, also lets both listeners own a path such as <c>/</c> without an ambiguity.
/// Under <c>Admin:PublicPath</c> the console's routes carry the prefix and there is only one listener: nothing to do.
/// </summary>
internal sealed class ConsoleMatcherPolicy(IOptions<AdminOptions> options) : MatcherPolicy, IEndpointSelectorPolicy
{
    // After the HTTP method policy, so a 405 is still worked out among the routes this listener may answer.
    public override int Order => 1000;

    public bool AppliesToEndpoints(IReadOnlyList<Endpoint> endpoints) => options.Value.OwnListener;

    public Task ApplyAsync(HttpContext httpContext, CandidateSet candidates)
    {
        var console = ConsoleListener.IsConsole(httpContext);
        for (var i = 0; i < candidates.Count; i++)
        {
            if (!candidates.IsValidCandidate(i)) continue;
            var mark = candidates[i].Endpoint.Metadata.GetMetadata<AdminEndpoint>();
            var allowed = mark switch
            {
                null => !console,
                { IsEverywhere: true } => true,
                _ => console,
            };
            if (!allowed) candidates.SetValidity(i, false);
        }
        return Task.CompletedTask;
    }
}

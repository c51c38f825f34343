using Microsoft.AspNetCore.Routing;

namespace Blog.Admin.Runs;

/// <summary>The console's digest runs, retries, send now and the preview.</summary>
internal static class RunPages
{
    public static void Add(IServiceCollection services, IConfiguration configuration)
    {
    }

    public static void Map(RouteGroupBuilder owner)
    {
    }
}

using Microsoft.AspNetCore.Routing;

namespace Blog.Admin.Overview;

/// <summary>The console's the overview with its charts.</summary>
internal static class OverviewPages
{
    public static void Add(IServiceCollection services, IConfiguration configuration)
    {
    }

    public static void Map(RouteGroupBuilder owner)
    {
    }
}

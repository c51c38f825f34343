using Microsoft.AspNetCore.Routing;

namespace Blog.Admin.Readership;

/// <summary>The console's feed readership.</summary>
internal static class ReadershipPages
{
    public static void Add(IServiceCollection services, IConfiguration configuration)
    {
    }

    public static void Map(RouteGroupBuilder owner)
    {
    }
}

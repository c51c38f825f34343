using Microsoft.AspNetCore.Routing;

namespace Blog.Admin.Posts;

/// <summary>The console's the post catalogue.</summary>
internal static class PostPages
{
    public static void Add(IServiceCollection services, IConfiguration configuration)
    {
    }

    public static void Map(RouteGroupBuilder owner)
    {
    }
}

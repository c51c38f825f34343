using Microsoft.AspNetCore.Routing;

namespace Blog.Admin.Subscribers;

/// <summary>The console's subscriber search, detail and actions.</summary>
internal static class SubscriberPages
{
    public static void Add(IServiceCollection services, IConfiguration configuration)
    {
    }

    public static void Map(RouteGroupBuilder owner)
    {
    }
}

using Blog.Digests;
using Blog.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Blog.Admin.Posts;

/// <summary>The console's post catalogue.</summary>
internal static class PostPages
{
    public static void Add(IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddSingleton<IRunHistory, SqlRunHistory>();
        services.AddSingleton<PostsPage>();
    }

    public static void Map(RouteGroupBuilder owner)
    {
        owner.MapGet("/posts", AdminServiceCollectionExtensions.Page<PostsPage>((p, c) => p.ListAsync(c)));
    }
}

using Blog.Readership;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;

namespace Blog.Admin.Readership;

/// <summary>The console's feed readership.</summary>
internal static class ReadershipPages
{
    public static void Add(IServiceCollection services, IConfiguration configuration) => services.AddSingleton<ReadershipPage>();

    public static void Map(RouteGroupBuilder owner) =>
        owner.MapGet("/readership", AdminServiceCollectionExtensions.Page<ReadershipPage>((page, context) => page.ShowAsync(context)));
}

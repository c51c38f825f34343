using Blog.Site;

namespace Blog.Posts;

internal static class PostsServiceCollectionExtensions
{
    public static IServiceCollection AddPosts(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSettings<PostsOptions, PostsOptionsValidator>(configuration, PostsOptions.Section, o => o.ContentPath = PathResolution.Absolute(o.ContentPath));
        services.AddSingleton(sp =>
        {
            var site = sp.GetRequiredService<IOptions<SiteOptions>>().Value;
            return new PostParser(site.FindZone(), site.BaseUri.IdnHost);
        });
        services.AddSingleton<PostStore>();
        return services;
    }
}

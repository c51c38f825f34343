using Blog.Site;

namespace Blog.Posts;

internal static class PostsServiceCollectionExtensions
{
    public static IServiceCollection AddPosts(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<PostsOptions>()
            .Bind(configuration.GetSection(PostsOptions.Section))
            .Validated<PostsOptions, PostsOptionsValidator>(o => o.ContentPath = PathResolution.Absolute(o.ContentPath));
        services.AddSingleton(sp =>
        {
            var site = sp.GetRequiredService<IOptions<SiteOptions>>().Value;
            return new PostParser(site.FindZone(), site.BaseUri.IdnHost);
        });
        services.AddSingleton<PostStore>();
        services.AddSingleton<PostCatalog>();
        services.AddSingleton<PublishedPosts>();
        return services;
    }
}

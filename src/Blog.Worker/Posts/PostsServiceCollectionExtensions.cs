using Blog.Site;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Blog.Posts;

internal static class PostsServiceCollectionExtensions
{
    public static IServiceCollection AddPosts(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<PostsOptions>()
            .Bind(configuration.GetSection(PostsOptions.Section))
            .PostConfigure(o => o.ContentPath = PathResolution.Absolute(o.ContentPath))
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<PostsOptions>, PostsOptionsValidator>());
        services.AddSingleton(sp =>
        {
            var site = sp.GetRequiredService<IOptions<SiteOptions>>().Value;
            return new PostParser(site.FindZone(), site.BaseUri.IdnHost);
        });
        services.AddSingleton<PostStore>();
        return services;
    }
}

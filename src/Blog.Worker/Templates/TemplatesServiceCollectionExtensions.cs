using Blog.Site;

namespace Blog.Templates;

internal static class TemplatesServiceCollectionExtensions
{
    public static IServiceCollection AddTemplates(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<TemplatesOptions>()
            .Bind(configuration.GetSection(TemplatesOptions.Section))
            .Validated<TemplatesOptions, TemplatesOptionsValidator>(o => o.Path = PathResolution.Absolute(o.Path));
        services.AddSingleton(sp => TemplateSet.Load(sp.GetRequiredService<IOptions<TemplatesOptions>>().Value.Path));
        return services;
    }
}

using Blog.Site;

namespace Blog.Templates;

internal static class TemplatesServiceCollectionExtensions
{
    public static IServiceCollection AddTemplates(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSettings<TemplatesOptions, TemplatesOptionsValidator>(configuration, TemplatesOptions.Section, o => o.Path = PathResolution.Absolute(o.Path));
        services.AddSingleton(sp => TemplateSet.Load(sp.GetRequiredService<IOptions<TemplatesOptions>>().Value.Path));
        return services;
    }
}

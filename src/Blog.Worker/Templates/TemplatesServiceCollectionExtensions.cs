using Blog.Site;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Blog.Templates;

internal static class TemplatesServiceCollectionExtensions
{
    public static IServiceCollection AddTemplates(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<TemplatesOptions>()
            .Bind(configuration.GetSection(TemplatesOptions.Section))
            .PostConfigure(o => o.Path = PathResolution.Absolute(o.Path))
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TemplatesOptions>, TemplatesOptionsValidator>());
        services.AddSingleton(sp => TemplateSet.Load(sp.GetRequiredService<IOptions<TemplatesOptions>>().Value.Path));
        return services;
    }
}

using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Blog.Digests;

internal static class DigestsServiceCollectionExtensions
{
    public static IServiceCollection AddDigests(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<DigestsOptions>()
            .Bind(configuration.GetSection(DigestsOptions.Section))
            .PostConfigure(o =>
            {
                if (o.Cadences.Count > 0) return;
                foreach (var (name, cron) in DigestsOptions.DefaultCadences) o.Cadences[name] = new CadenceOptions { Cron = cron };
            })
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<DigestsOptions>, DigestsOptionsValidator>());
        return services;
    }
}

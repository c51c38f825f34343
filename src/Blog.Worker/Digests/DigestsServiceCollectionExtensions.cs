using Blog.Site;

namespace Blog.Digests;

internal static class DigestsServiceCollectionExtensions
{
    public static IServiceCollection AddDigests(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<DigestsOptions>()
            .Bind(configuration.GetSection(DigestsOptions.Section))
            .Validated<DigestsOptions, DigestsOptionsValidator>(o =>
            {
                if (o.Cadences.Count > 0) return;
                foreach (var (name, cron) in DigestsOptions.DefaultCadences) o.Cadences[name] = new CadenceOptions { Cron = cron };
            });
        services.AddSingleton(new Templates.RequiredTemplates(DigestMail.TemplateNames));
        services.AddSingleton<DigestMail>();
        services.AddSingleton<DigestRuns>();
        services.AddSingleton<DigestPreview>();
        services.AddSingleton<DigestSender>();
        return services;
    }
}

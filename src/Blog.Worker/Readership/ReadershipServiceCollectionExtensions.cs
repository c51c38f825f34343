using Blog.Site;
using Blog.Storage;

namespace Blog.Readership;

internal static class ReadershipServiceCollectionExtensions
{
    public static IServiceCollection AddReadership(this IServiceCollection services, IConfiguration configuration, bool service)
    {
        services.AddOptions<ReadershipOptions>()
            .Bind(configuration.GetSection(ReadershipOptions.Section))
            .Validated<ReadershipOptions, ReadershipOptionsValidator>();
        services.AddSingleton<IReadershipStore, SqlReadershipStore>();
        services.AddSingleton<ReadershipBuffer>();
        services.AddSingleton<ReadershipRecorder>();
        if (service) services.AddHostedService<ReadershipFlusher>();
        return services;
    }
}

using Blog.Mail;
using Blog.Site;
using Blog.Subscribers;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Blog.Storage;

internal static class StorageServiceCollectionExtensions
{
    public static IServiceCollection AddStorage(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<StorageOptions>()
            .Bind(configuration.GetSection(StorageOptions.Section))
            .PostConfigure(o => o.DataPath = PathResolution.Absolute(o.DataPath))
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<StorageOptions>, StorageOptionsValidator>());
        services.AddSingleton<SqliteDatabase>();
        services.AddSingleton<ISubscriberStore, SqliteSubscriberStore>();
        services.AddSingleton<IMailOutbox, SqliteMailOutbox>();
        return services;
    }
}

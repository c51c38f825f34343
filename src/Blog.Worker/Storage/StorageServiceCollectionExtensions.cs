using Blog.Mail;
using Blog.Site;
using Blog.Subscribers;

namespace Blog.Storage;

internal static class StorageServiceCollectionExtensions
{
    public static IServiceCollection AddStorage(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSettings<StorageOptions, StorageOptionsValidator>(configuration, StorageOptions.Section, o => o.DataPath = PathResolution.Absolute(o.DataPath));
        services.AddSingleton<SqliteDatabase>();
        services.AddSingleton<ISubscriberStore, SqliteSubscriberStore>();
        services.AddSingleton<IMailOutbox, SqliteMailOutbox>();
        return services;
    }
}

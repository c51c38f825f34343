using Blog.Mail;
using Blog.Site;
using Blog.Subscribers;

namespace Blog.Storage;

internal static class StorageServiceCollectionExtensions
{
    public static IServiceCollection AddStorage(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<StorageOptions>()
            .Bind(configuration.GetSection(StorageOptions.Section))
            .Validated<StorageOptions, StorageOptionsValidator>(o => o.DataPath = PathResolution.Absolute(o.DataPath));
        services.AddSingleton<SqliteDatabase>();
        services.AddSingleton<ISubscriberStore, SqliteSubscriberStore>();
        services.AddSingleton<IMailOutbox, SqliteMailOutbox>();
        services.AddSingleton<Blog.Digests.IDigestLedger, SqliteDigestLedger>();
        return services;
    }
}

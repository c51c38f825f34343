using Blog.Mail;
using Blog.Site;
using Blog.MailingList;

namespace Blog.Storage;

internal static class StorageServiceCollectionExtensions
{
    public static IServiceCollection AddStorage(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<StorageOptions>()
            .Bind(configuration.GetSection(StorageOptions.Section))
            .Validated<StorageOptions, StorageOptionsValidator>(o => o.DataPath = PathResolution.Absolute(o.DataPath));
        services.AddSingleton<Database>(provider =>
        {
            var options = provider.GetRequiredService<IOptions<StorageOptions>>();
            return options.Value.IsPostgres
                ? new PostgresDatabase(options, provider.GetRequiredService<ILogger<PostgresDatabase>>())
                : new SqliteDatabase(options, provider.GetRequiredService<ILogger<SqliteDatabase>>());
        });
        services.AddSingleton<ISubscriberStore, SqlSubscriberStore>();
        services.AddSingleton<IMailOutbox, SqlMailOutbox>();
        services.AddSingleton<Blog.Digests.IDigestLedger, SqlDigestLedger>();
        services.AddSingleton<Blog.Digests.IPublicationLog, SqlPublicationLog>();
        services.AddSingleton<Blog.Feedback.IFeedbackStore, SqlFeedbackStore>();
        return services;
    }
}

using Blog.Site;
using Blog.Storage;

namespace Blog.Mail;

internal static class MailServiceCollectionExtensions
{
    public static IServiceCollection AddMail(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<MailOptions>()
            .Bind(configuration.GetSection(MailOptions.Section))
            .Validated<MailOptions, MailOptionsValidator>(o =>
            {
                o.PickupPath = PathResolution.Absolute(o.PickupPath);
                o.Dkim.PrivateKeyPath = PathResolution.Absolute(o.Dkim.PrivateKeyPath);
                o.Smtp.TrustedCertificatePath = PathResolution.Absolute(o.Smtp.TrustedCertificatePath);
            });
        services.AddSingleton<MailComposer>();
        services.AddSingleton<MessageIdMint>();
        services.AddSingleton<MailTemplates>();
        services.AddSingleton<MessageSigner>();
        services.AddSingleton<SendingPause>();
        services.AddSingleton<SendingRate>();
        services.AddSingleton<OutboxSender>();
        services.AddSingleton<OutboxRounds>();
        services.AddSingleton<IMailTransport>(sp =>
        {
            var mail = sp.GetRequiredService<IOptions<MailOptions>>();
            if (mail.Value.Transport == MailTransportKind.Smtp)
                return new SmtpMailTransport(mail, sp.GetRequiredService<ILogger<SmtpMailTransport>>());
            var folder = mail.Value.PickupPath.Length > 0
                ? mail.Value.PickupPath
                : Path.Combine(sp.GetRequiredService<IOptions<StorageOptions>>().Value.DataPath, "mail");
            return new PickupFolderTransport(folder);
        });
        return services;
    }
}

using Blog.Site;

namespace Blog.Inbox;

internal static class InboxServiceCollectionExtensions
{
    /// <summary>The return mailbox: its settings, the classifier and the pass for every verb; the reader's loop only in the service, and only when <c>Mail:Inbox:Host</c> is set.</summary>
    public static IServiceCollection AddInbox(this IServiceCollection services, IConfiguration configuration, bool service)
    {
        services.AddOptions<InboxOptions>()
            .Bind(configuration.GetSection(InboxOptions.Section))
            .Validated<InboxOptions, InboxOptionsValidator>(o => o.TrustedCertificatePath = PathResolution.Absolute(o.TrustedCertificatePath));
        services.AddSingleton<MessageClassifier>();
        services.AddSingleton<InboxPass>();
        services.AddTransient<IMailbox>(sp => sp.GetRequiredService<IOptions<InboxOptions>>().Value.Protocol == InboxProtocol.Pop3
            ? new Pop3Mailbox(sp.GetRequiredService<IOptions<InboxOptions>>(), sp.GetRequiredService<TimeProvider>())
            : new ImapMailbox(sp.GetRequiredService<IOptions<InboxOptions>>(), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<ImapMailbox>>()));
        if (service && configuration.GetSection(InboxOptions.Section)[nameof(InboxOptions.Host)] is { Length: > 0 })
            services.AddHostedService<InboxService>();
        return services;
    }
}

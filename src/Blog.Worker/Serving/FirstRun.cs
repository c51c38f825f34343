using Blog.Site;

namespace Blog.Serving;

/// <summary>
/// A service started with <c>Site:Url</c> left at its default: mail links lead to the service itself (see
/// <see cref="LinkBase"/>), and the owner is told to set it.
/// </summary>
internal static partial class FirstRun
{
    public static void Started(IServiceProvider services)
    {
        var site = services.GetRequiredService<IOptions<SiteOptions>>().Value;
        if (!site.HasDefaultUrl()) return;
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(FirstRun));
        if (services.GetRequiredService<PublicListeners>().Addresses is [var first, ..])
        {
            services.GetRequiredService<LinkBase>().Listening(first);
            Log.DefaultUrl(logger, SiteOptions.DefaultUrl, first.AbsoluteUri);
        }
        else Log.DefaultUrl(logger, SiteOptions.DefaultUrl, SiteOptions.DefaultUrl);
    }

    private static partial class Log
    {
        [LoggerMessage(LogEvents.FirstRun.SiteUrlDefault, LogLevel.Warning,
            "Site:Url is left at its default ({Default}): links in mail lead to this service at {Address}, and feeds name {Default}. " +
            "Set Site:Url to the blog's public address (in appsettings.json, or --Site:Url=https://...)")]
        public static partial void DefaultUrl(ILogger logger, string @default, string address);
    }
}

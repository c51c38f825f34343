using Blog.Admin;
using Blog.Cli;
using Blog.Digests;
using Blog.Feedback;
using Blog.Feeds;
using Blog.Hosting;
using Blog.Inbox;
using Blog.Mail;
using Blog.Operations;
using Blog.Posts;
using Blog.Readership;
using Blog.Site;
using Blog.Storage;
using Blog.Subscriptions;
using Blog.Templates;
using Blog.Webhooks;

// Everything the service does is one of the verbs; `blog --help` lists them.
return await BlogCli.RunAsync(args, Console.Out, Console.Error);

internal partial class Program
{
    /// <summary>The features, one folder each. Every verb's host is built from this list.</summary>
    public static void AddFeatures(IServiceCollection services, IConfiguration configuration, bool service) => services
        .AddSite(configuration)
        .AddPosts(configuration)
        .AddFeeds(configuration)
        .AddStorage(configuration)
        .AddTemplates(configuration)
        .AddMail(configuration)
        .AddDigests(configuration)
        .AddSubscriptions(configuration)
        .AddFeedback(configuration)
        .AddWebhooks(configuration)
        .AddService(configuration, enabled: service)
        .AddOperations(configuration, service)
        .AddReadership(configuration, service)
        // After the service's own: the public listeners are bound first.
        .AddAdmin(configuration)
        // After the service's own: its reader starts once the database is ready.
        .AddInbox(configuration, service);
}

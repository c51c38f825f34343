using Blog.MailingList;
using Blog.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection.Extensions;
using static Blog.Admin.AdminServiceCollectionExtensions;

namespace Blog.Admin.Subscribers;

/// <summary>The console's subscriber search, detail and actions.</summary>
internal static class SubscriberPages
{
    public static void Add(IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddSingleton<ISubscriberDirectory, SqlSubscriberDirectory>();
        services.AddSingleton<SubscriberSearchPage>();
        services.AddSingleton<SubscriberDetailPage>();
        services.AddSingleton<SubscriberActions>();
    }

    public static void Map(RouteGroupBuilder owner)
    {
        owner.MapGet("/subscribers", Page<SubscriberSearchPage>((page, context) => page.ShowAsync(context)));
        owner.MapGet("/subscribers/{id:long}", Page<SubscriberDetailPage>((page, context) => page.ShowAsync(context)));
        owner.MapPost("/subscribers/{id:long}/preferences", Page<SubscriberActions>((actions, context) => actions.ChangePreferencesAsync(context)));
        owner.MapPost("/subscribers/{id:long}/unsubscribe", Page<SubscriberActions>((actions, context) => actions.UnsubscribeAsync(context)));
        owner.MapPost("/subscribers/{id:long}/resend", Page<SubscriberActions>((actions, context) => actions.ResendConfirmationAsync(context)));
        owner.MapPost("/subscribers/{id:long}/forget", Page<SubscriberActions>((actions, context) => actions.ForgetAsync(context)));
    }
}

using Blog.Templates;
using Microsoft.AspNetCore.Http;

namespace Blog.Subscriptions;

/// <summary>
/// <c>/unsubscribe?token=…</c>. GET shows one button; POST unsubscribes at once. The POST is also RFC 8058's
/// one-click request, which a mail client sends with no cookies and a body of <c>List-Unsubscribe=One-Click</c>: the
/// token alone authorises it, and the body is not needed.
/// </summary>
internal sealed partial class UnsubscribeEndpoints(Blog.MailingList.ISubscriberStore store, SubscriberTokens tokens, SubscriptionLinks links,
    PageWriter pages, TimeProvider time, ILogger<UnsubscribeEndpoints> logger)
{
    public async Task PageAsync(HttpContext context)
    {
        var token = context.Request.Query["token"].ToString();
        var check = await tokens.CheckAsync(token, TokenPurpose.Unsubscribe, time.GetUtcNow(), store, context.RequestAborted);
        var subscriber = check.IsValid ? check.Subscriber : null;
        if (subscriber is null)
        {
            await pages.BadLinkAsync(context, expired: false);
            return;
        }
        await pages.WriteAsync(context, StatusCodes.Status200OK, "unsubscribe", "Unsubscribe", new TemplateModel
        {
            ["email"] = subscriber.Address,
            ["action"] = $"unsubscribe?token={Uri.EscapeDataString(token)}",
            ["preferences_url"] = links.PreferencesPage(subscriber),
        });
    }

    public async Task UnsubscribeAsync(HttpContext context)
    {
        var check = await tokens.CheckAsync(context.Request.Query["token"], TokenPurpose.Unsubscribe, time.GetUtcNow(), store, context.RequestAborted);
        var subscriber = check.IsValid ? await store.UnsubscribeAsync(check.SubscriberId, time.GetUtcNow(), context.RequestAborted) : null;
        if (subscriber is null)
        {
            await pages.BadLinkAsync(context, expired: false);
            return;
        }
        Log.Unsubscribed(logger, subscriber.Id);
        await pages.WriteAsync(context, StatusCodes.Status200OK, "unsubscribed", "You are unsubscribed", new TemplateModel
        {
            ["email"] = subscriber.Address,
            ["subscribe_url"] = "subscribe",
        });
    }

    private static partial class Log
    {
        [LoggerMessage(LogEvents.UnsubscribeEndpoints.Unsubscribed, LogLevel.Information, "Subscriber {Id} unsubscribed")]
        public static partial void Unsubscribed(ILogger logger, long id);
    }
}

using Blog.MailingList;
using Blog.Templates;
using Microsoft.AspNetCore.Http;

namespace Blog.Subscriptions;

/// <summary><c>/preferences?token=…</c>: the subscriber's tags and cadence. Saving never changes whether they are subscribed.</summary>
internal sealed class PreferencesEndpoints(ISubscriberStore store, SubscriptionChoices choices, SubscriberTokens tokens, SubscriptionLinks links,
    PageWriter pages, TimeProvider time, IOptions<SubscriptionOptions> options)
{
    public async Task PageAsync(HttpContext context)
    {
        var subscriber = await FindAsync(context);
        if (subscriber is null) return;
        await FormPageAsync(context, StatusCodes.Status200OK, subscriber, subscriber.Cadence, subscriber.Tags, [], saved: false);
    }

    public async Task SaveAsync(HttpContext context)
    {
        var subscriber = await FindAsync(context);
        if (subscriber is null) return;
        var form = await FormBody.ReadAsync(context, options.Value.MaxFormBytes, pages);
        if (form is null) return;
        var errors = new List<string>();
        if (choices.CheckCadence(form["cadence"], out var cadence) is { } cadenceError) errors.Add($"How often: {cadenceError}.");
        if (choices.CheckTags(form["tags"], out var tags) is { } tagError) errors.Add($"Topics: {tagError}.");
        if (errors.Count > 0)
        {
            await FormPageAsync(context, StatusCodes.Status400BadRequest, subscriber, cadence, [.. form["tags"].Select(t => t ?? "")], errors, saved: false);
            return;
        }
        var updated = await store.UpdatePreferencesAsync(subscriber.Id, tags, cadence, context.RequestAborted);
        if (updated is null)
        {
            await pages.BadLinkAsync(context, expired: false);
            return;
        }
        await FormPageAsync(context, StatusCodes.Status200OK, updated, updated.Cadence, updated.Tags, [], saved: true);
    }

    /// <returns>The token's subscriber, or null when the 400 page has been written.</returns>
    private async Task<Subscriber?> FindAsync(HttpContext context)
    {
        var check = await tokens.CheckAsync(context.Request.Query["token"], TokenPurpose.Preferences, time.GetUtcNow(), store, context.RequestAborted);
        var subscriber = check.IsValid ? check.Subscriber : null;
        if (subscriber is null) await pages.BadLinkAsync(context, expired: false);
        return subscriber;
    }

    private Task FormPageAsync(HttpContext context, int status, Subscriber subscriber, string cadence, IReadOnlyCollection<string> tags,
        IReadOnlyList<string> errors, bool saved)
    {
        var model = new TemplateModel
        {
            ["email"] = subscriber.Address,
            ["action"] = $"preferences?token={Uri.EscapeDataString(context.Request.Query["token"].ToString())}",
            ["status"] = subscriber.Status.ToText(),
            ["saved"] = saved,
            ["unsubscribe_url"] = links.UnsubscribePage(subscriber),
            ["subscribe_url"] = "subscribe",
        };
        ChoiceView.AddTo(model, choices, cadence, tags);
        ChoiceView.AddErrors(model, errors);
        return pages.WriteAsync(context, status, "preferences", "Your subscription", model);
    }
}

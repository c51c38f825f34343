using Blog.Mail;
using Blog.MailingList;
using Blog.Subscriptions;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using static Blog.Admin.Subscribers.SubscriberCells;

namespace Blog.Admin.Subscribers;

/// <summary>
/// The owner's changes to one subscriber, each a POST (its antiforgery token checked before it gets here) that
/// redirects back to the subscriber's page with what was done, so reloading that page does nothing twice. Each goes
/// through the same path as its public or CLI counterpart: the checks of the preferences page, the sign-up's
/// confirmation mail, <c>blog subscribers remove</c> and <c>forget</c>.
/// </summary>
internal sealed partial class SubscriberActions(ISubscriberStore store, SubscriptionChoices choices, ConfirmationMail confirmation, OutboxSender sender,
    SubscriberDetailPage detail, TimeProvider time, ILogger<SubscriberActions> logger)
{
    /// <summary>The forms here are a few short fields: anything bigger is refused before it is read.</summary>
    private static readonly FormOptions Limits = new()
    {
        ValueCountLimit = 200,
        KeyLengthLimit = 64,
        ValueLengthLimit = 1024,
        BufferBodyLengthLimit = 64 * 1024,
        MultipartBodyLengthLimit = 64 * 1024,
    };

    public async Task ChangePreferencesAsync(HttpContext context)
    {
        var subscriber = await detail.FindAsync(context);
        if (subscriber is null) return;
        var form = await context.Request.ReadFormAsync(Limits, context.RequestAborted);
        var errors = new List<string>();
        if (choices.CheckCadence(form["cadence"], out var cadence) is { } cadenceError) errors.Add($"Cadence: {cadenceError}.");
        if (choices.CheckTags(form["tags"], out var tags) is { } tagError) errors.Add($"Tags: {tagError}.");
        if (errors.Count > 0)
        {
            await detail.WriteAsync(context, subscriber, null, errors, StatusCodes.Status400BadRequest, cadence, [.. form["tags"].Select(t => t ?? "")]);
            return;
        }
        var updated = await store.UpdatePreferencesAsync(subscriber.Id, tags, cadence, context.RequestAborted);
        if (updated is null)
        {
            await detail.FindAsync(context);
            return;
        }
        Log.PreferencesChanged(logger, Owner(context), updated.Id, string.Join(' ', updated.Tags), updated.Cadence);
        Redirect(context, updated.Id, "preferences");
    }

    public async Task UnsubscribeAsync(HttpContext context)
    {
        var subscriber = await detail.FindAsync(context);
        if (subscriber is null) return;
        var updated = await store.UnsubscribeAsync(subscriber.Id, time.GetUtcNow(), context.RequestAborted);
        if (updated is null)
        {
            await detail.FindAsync(context);
            return;
        }
        Log.Unsubscribed(logger, Owner(context), updated.Id);
        Redirect(context, updated.Id, "unsubscribed");
    }

    /// <summary>
    /// The sign-up's own path (<see cref="ISubscriberStore.SignUpAsync"/> with the subscriber's choices as they are and no
    /// wait), so the new mail is the one a person re-signing up would get, and confirmation_sent_at moves with it.
    /// </summary>
    public async Task ResendConfirmationAsync(HttpContext context)
    {
        var subscriber = await detail.FindAsync(context);
        if (subscriber is null) return;
        if (subscriber.Status != SubscriberStatus.Pending)
        {
            await detail.WriteAsync(context, subscriber, null,
                [$"Only a pending subscriber is sent a confirmation; this one is {subscriber.Status.ToText()}."], StatusCodes.Status409Conflict);
            return;
        }
        if (!EmailAddress.TryParse(subscriber.Address, out var address, out var error))
        {
            await detail.WriteAsync(context, subscriber, null, [$"The stored address cannot be mailed: {error}."], StatusCodes.Status409Conflict);
            return;
        }
        var now = time.GetUtcNow();
        var result = await store.SignUpAsync(new SubscriberDraft(address, subscriber.Tags, subscriber.Cadence, SubscriberStatus.Pending), now, TimeSpan.Zero,
            s => confirmation.For(s, now), context.RequestAborted);
        if (result.ConfirmationQueued) sender.Wake();
        Log.ConfirmationResent(logger, Owner(context), result.Subscriber.Id, result.ConfirmationQueued);
        Redirect(context, result.Subscriber.Id, result.ConfirmationQueued ? "resent" : null);
    }

    /// <summary>As <c>blog subscribers forget</c>: <see cref="ISubscriberStore.ForgetAsync"/>, which keeps a complained address suppressed.</summary>
    public async Task ForgetAsync(HttpContext context)
    {
        var subscriber = await detail.FindAsync(context);
        if (subscriber is null) return;
        var form = await context.Request.ReadFormAsync(Limits, context.RequestAborted);
        var typed = form["confirm"].ToString().Trim();
        if (!string.Equals(EmailAddress.KeyOf(typed), EmailAddress.KeyOf(subscriber.Address), StringComparison.Ordinal))
        {
            await detail.WriteAsync(context, subscriber, null,
                [$"Forget: the address typed to confirm does not match this subscriber's (value: {Quote(typed)}); nothing was erased."],
                StatusCodes.Status400BadRequest);
            return;
        }
        if (!EmailAddress.TryParse(subscriber.Address, out var address, out var error))
        {
            await detail.WriteAsync(context, subscriber, null, [$"The stored address cannot be read: {error}."], StatusCodes.Status409Conflict);
            return;
        }
        await store.ForgetAsync(address, context.RequestAborted);
        Log.Forgotten(logger, Owner(context), subscriber.Id);
        context.Response.Redirect(AdminPage.Url(context, "/subscribers") + "?done=forgotten");
    }

    private static void Redirect(HttpContext context, long id, string? done) =>
        context.Response.Redirect(DetailUrl(context, id, done is null ? null : Query(("done", done))));

    private static string Owner(HttpContext context) => context.User.Identity?.Name ?? "?";

    private static partial class Log
    {
        [LoggerMessage(LogEvents.SubscriberActions.PreferencesChanged, LogLevel.Information, "Console: {Owner} set subscriber {Id}'s tags to '{Tags}' and cadence to {Cadence}")]
        public static partial void PreferencesChanged(ILogger logger, string owner, long id, string tags, string cadence);

        [LoggerMessage(LogEvents.SubscriberActions.Unsubscribed, LogLevel.Information, "Console: {Owner} unsubscribed subscriber {Id}")]
        public static partial void Unsubscribed(ILogger logger, string owner, long id);

        [LoggerMessage(LogEvents.SubscriberActions.ConfirmationResent, LogLevel.Information, "Console: {Owner} resent subscriber {Id}'s confirmation (queued: {Queued})")]
        public static partial void ConfirmationResent(ILogger logger, string owner, long id, bool queued);

        [LoggerMessage(LogEvents.SubscriberActions.Forgotten, LogLevel.Information, "Console: {Owner} erased subscriber {Id}")]
        public static partial void Forgotten(ILogger logger, string owner, long id);
    }
}

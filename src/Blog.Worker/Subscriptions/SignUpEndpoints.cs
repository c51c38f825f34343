using Blog.Mail;
using Blog.MailingList;
using Blog.Templates;
using Microsoft.AspNetCore.Http;

namespace Blog.Subscriptions;

/// <summary>
/// <c>GET/POST /subscribe</c> and <c>GET/POST /confirm</c>. The answer to a sign-up is the same page whatever the address
/// was (new, pending, active, unsubscribed), and it is sent before the sign-up is stored (by the <see cref="SignUpWorker"/>),
/// so neither its content nor its timing can be used to learn who is on the list.
/// </summary>
internal sealed partial class SignUpEndpoints(ISubscriberStore store, SubscriptionChoices choices, SignUpBacklog backlog,
    SubscriberTokens tokens, SubscriptionLinks links, PageWriter pages, WelcomeMail welcome, OutboxSender sender, TimeProvider time,
    IOptions<SubscriptionOptions> options, ILogger<SignUpEndpoints> logger, SubscriptionMetrics metrics)
{
    /// <summary>The form field a person never sees and a form-filling bot fills in.</summary>
    public const string Honeypot = "website";

    public Task FormAsync(HttpContext context) => FormPageAsync(context, StatusCodes.Status200OK, "", choices.DefaultCadence, [], []);

    public async Task SubmitAsync(HttpContext context)
    {
        var form = await FormBody.ReadAsync(context, options.Value.MaxFormBytes, pages);
        if (form is null) return;
        var email = form["email"].ToString();
        if (form[Honeypot].ToString().Length > 0)
        {
            // Looks like success to the bot; nothing is stored and nothing is sent.
            Log.Honeypot(logger, context.Connection.RemoteIpAddress?.ToString() ?? "?");
            await SubscribedPageAsync(context, email.Trim());
            return;
        }

        var errors = new List<string>();
        if (!EmailAddress.TryParse(email, out var address, out var addressError)) errors.Add($"Email address: {addressError}.");
        if (choices.CheckCadence(form["cadence"], out var cadence) is { } cadenceError) errors.Add($"How often: {cadenceError}.");
        if (choices.CheckTags(form["tags"], out var tags) is { } tagError) errors.Add($"Topics: {tagError}.");
        if (errors.Count > 0)
        {
            await FormPageAsync(context, StatusCodes.Status400BadRequest, email, cadence, [.. form["tags"].Select(t => t ?? "")], errors);
            return;
        }

        // Answered like every page while the database is down (503, Retry-After), the same for every address.
        if (backlog.StoreDown) throw new Storage.DatabaseUnreachableException("the subscriber store is unreachable; sign-ups wait for it");
        // Stored after the answer: a new address costs a write and a mail, an active one neither, and the time the
        // answer takes must not tell them apart.
        if (!backlog.TryAdd(new SubscriberDraft(address!, tags, cadence, SubscriberStatus.Pending)))
        {
            Log.BacklogFull(logger);
            context.Response.Headers.RetryAfter = "60";
            await pages.ErrorAsync(context, StatusCodes.Status503ServiceUnavailable, "Too many sign-ups",
                "There are too many sign-ups just now. Please wait a minute and try again.");
            return;
        }
        await SubscribedPageAsync(context, address!.Value);
    }

    /// <summary>
    /// Shows the button that confirms, and changes nothing: mail filters open every link in a mail, so a GET that
    /// confirmed would subscribe whoever was signed up by someone else.
    /// </summary>
    public async Task ConfirmPageAsync(HttpContext context)
    {
        var token = context.Request.Query["token"].ToString();
        var check = await tokens.CheckAsync(token, TokenPurpose.Confirm, time.GetUtcNow(), store, context.RequestAborted);
        var subscriber = check.IsValid || check.IsExpired ? check.Subscriber : null;
        if (subscriber is { Status: SubscriberStatus.Active })
        {
            // Opening the link again after confirming (in time or not) is not an error, and there is nothing to press.
            await ConfirmedPageAsync(context, subscriber);
            return;
        }
        if (!check.IsValid || subscriber is not { Status: SubscriberStatus.Pending })
        {
            // Unknown (forgotten) or left since: a confirmation link must not bring anyone back.
            await pages.BadLinkAsync(context, check.IsExpired);
            return;
        }
        await pages.WriteAsync(context, StatusCodes.Status200OK, "confirm", "Confirm your subscription", new TemplateModel
        {
            ["email"] = subscriber.Address,
            // The token is the credential, as for the unsubscribe button: no cookie, no script.
            ["action"] = $"confirm?token={Uri.EscapeDataString(token)}",
        });
    }

    /// <summary>The confirmation page's button: pending becomes active, and the welcome mail is queued with the change.</summary>
    public async Task ConfirmAsync(HttpContext context)
    {
        var now = time.GetUtcNow();
        var check = await tokens.CheckAsync(context.Request.Query["token"], TokenPurpose.Confirm, now, store, context.RequestAborted);
        if (check.IsExpired && check.Subscriber is { Status: SubscriberStatus.Active } already)
        {
            // Clicking an old confirmation again after confirming in time is not an error.
            await ConfirmedPageAsync(context, already);
            return;
        }
        if (!check.IsValid)
        {
            await pages.BadLinkAsync(context, check.IsExpired);
            return;
        }
        // Rendered before the confirming transaction, for the subscriber as found, and queued in it only when this press
        // made them active: a second press sends none.
        var mail = check.Subscriber is { Status: SubscriberStatus.Pending } found ? await WelcomeForAsync(found, now, context.RequestAborted) : null;
        var welcomed = false;
        var subscriber = await store.ConfirmAsync(check.SubscriberId, now, mail is null ? null : _ =>
        {
            welcomed = true;
            return mail;
        }, context.RequestAborted);
        if (subscriber is not { Status: SubscriberStatus.Active })
        {
            // Unknown (forgotten) or left since: a confirmation link must not bring anyone back.
            await pages.BadLinkAsync(context, expired: false);
            return;
        }
        Log.Confirmed(logger, subscriber.Id);
        metrics.Confirmed();
        if (welcomed) sender.Wake();
        await ConfirmedPageAsync(context, subscriber);
    }

    private async Task<QueuedMail?> WelcomeForAsync(Subscriber subscriber, DateTimeOffset now, CancellationToken cancellationToken)
    {
        try
        {
            return await welcome.PrepareAsync(subscriber, now, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Whatever fails in the welcome (the owner's template, MimeKit, CSS inlining, an address stored long ago that
            // no longer parses) must not keep anyone from subscribing: they are confirmed without it.
            Log.WelcomeFailed(logger, subscriber.Id, e.Message);
            return null;
        }
    }

    private Task ConfirmedPageAsync(HttpContext context, Subscriber subscriber) =>
        pages.WriteAsync(context, StatusCodes.Status200OK, "confirmed", "You are subscribed", new TemplateModel
        {
            ["email"] = subscriber.Address,
            ["preferences_url"] = links.PreferencesPage(subscriber),
        });

    private Task SubscribedPageAsync(HttpContext context, string email) =>
        pages.WriteAsync(context, StatusCodes.Status200OK, "subscribed", "Check your inbox", new TemplateModel
        {
            ["email"] = email,
            ["expires_hours"] = (int)Math.Ceiling(options.Value.ConfirmationLifetime.TotalHours),
        });

    private Task FormPageAsync(HttpContext context, int status, string email, string cadence, IReadOnlyCollection<string> tags, IReadOnlyList<string> errors)
    {
        var model = new TemplateModel { ["action"] = "subscribe", ["email"] = email };
        ChoiceView.AddTo(model, choices, cadence, tags);
        ChoiceView.AddErrors(model, errors);
        return pages.WriteAsync(context, status, "subscribe", "Subscribe", model);
    }

    private static partial class Log
    {
        [LoggerMessage(LogEvents.SignUpEndpoints.Confirmed, LogLevel.Information, "Subscriber {Id} confirmed")]
        public static partial void Confirmed(ILogger logger, long id);

        [LoggerMessage(LogEvents.SignUpEndpoints.WelcomeFailed, LogLevel.Error, "Subscriber {Id} confirmed without a welcome mail: {Error}")]
        public static partial void WelcomeFailed(ILogger logger, long id, string error);

        [LoggerMessage(LogEvents.SignUpEndpoints.Honeypot, LogLevel.Information, "Sign-up from {Address} ignored: the honeypot field was filled in")]
        public static partial void Honeypot(ILogger logger, string address);

        [LoggerMessage(LogEvents.SignUpEndpoints.BacklogFull, LogLevel.Warning, "Sign-up refused with 503: the backlog of sign-ups to store is full")]
        public static partial void BacklogFull(ILogger logger);
    }
}

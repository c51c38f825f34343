using Blog.Feedback;
using Blog.Mail;
using Blog.Storage;
using Microsoft.AspNetCore.Http;

namespace Blog.Webhooks;

/// <summary>
/// <c>POST /webhooks/{provider}</c>: the provider's reader authenticates the request and maps its events, and each
/// goes through <see cref="FeedbackRecorder"/>, where a report seen before changes nothing. The answer never says
/// whether an address is on the list: every accepted request gets the same 200.
/// </summary>
internal sealed partial class WebhookEndpoint(IEnumerable<IWebhookReader> readers, FeedbackRecorder recorder, IFeedbackStore store,
    MessageIdMint mint, IOptions<WebhooksOptions> options, TimeProvider time, ILogger<WebhookEndpoint> logger)
{
    /// <summary>Old replay keys are forgotten at the first one taken after start and every this many after.</summary>
    internal const int PruneEvery = 100;

    /// <summary>Replay keys forgotten at most per round: a bounded DELETE, however many are due.</summary>
    private const int PruneLimit = 1000;

    private readonly IWebhookReader[] readers = [.. readers];

    private int taken;

    /// <summary>
    /// The target of an event from an authenticated provider. A Message-ID we minted names its delivery (and run), or,
    /// for a confirmation or welcome (gone from the outbox once sent), its subscriber; any
    /// other (the provider's own, or one from before ids carried a tag) would match nothing, so the address the
    /// provider names is used instead, and the provider's verified signature vouches for it: its complaints are final.
    /// </summary>
    private FeedbackTarget Vouched(FeedbackTarget target) =>
        mint.Vouch(target)
        ?? (target.Address is not null ? target with { MessageId = null, Trusted = true } : target);

    public async Task HandleAsync(HttpContext context)
    {
        var response = context.Response;
        response.Headers.CacheControl = "no-store";
        var name = context.Request.RouteValues["provider"] as string;
        var reader = Array.Find(readers, r => string.Equals(r.Name, name, StringComparison.Ordinal));
        if (reader is not { Configured: true })
        {
            response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }
        var cancellationToken = context.RequestAborted;
        try
        {
            var body = await WebhookBody.ReadAsync(context, options.Value, time);
            if (body is null)
            {
                Log.Refused(logger, reader.Name, response.StatusCode, "the body is too large, too slow or cut short");
                return;
            }
            var reading = await reader.ReadAsync(new WebhookRequest(context.Request.Headers, body.Value), cancellationToken);
            if (reading.Status != StatusCodes.Status200OK)
            {
                Log.Refused(logger, reader.Name, reading.Status, reading.Problem ?? "");
                await AnswerAsync(response, reading, cancellationToken);
                return;
            }
            // Kept for requests with no events too: otherwise a token captured on one (a delivery, a temporary failure)
            // could be put on a forged complaint once. Pruning bounds the table instead.
            if (reading.ReplayKey is { } replay && !await FirstUseAsync(reader.Name, replay, body.Value, cancellationToken))
            {
                Log.Replayed(logger, reader.Name);
                await AnswerAsync(response, reading, cancellationToken);
                return;
            }
            var applied = 0;
            foreach (var feedback in reading.Events)
            {
                var result = await recorder.RecordAsync(feedback with { Target = Vouched(feedback.Target) }, cancellationToken);
                if (result.Outcome == FeedbackOutcome.Applied) applied++;
            }
            Log.Received(logger, reader.Name, reading.Events.Length, applied);
            await AnswerAsync(response, reading, cancellationToken);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            // A provider retries a webhook that failed: 503 while the database is away, so the report is not lost.
            var unavailable = Database.IsDriverError(e);
            Log.Failed(logger, reader.Name, e);
            if (response.HasStarted) return;
            response.Clear();
            response.Headers.CacheControl = "no-store";
            response.StatusCode = unavailable ? StatusCodes.Status503ServiceUnavailable : StatusCodes.Status500InternalServerError;
            if (unavailable) response.Headers.RetryAfter = "60";
        }
    }

    /// <summary>
    /// Whether a signature's replay key may be used with this body: the key is stored with the body's hash as its
    /// outcome in one insert, so two requests racing with one key cannot both have it, and no crash can leave the key
    /// without its body. The provider retrying that body after a failure is let through, to record what the failure
    /// left out (each event once, by its key); the key on any other body is a replay.
    /// </summary>
    private async Task<bool> FirstUseAsync(string provider, string key, ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        // The outcome column holds 32 characters: 27 hex digits (108 bits) of the hash tell one token's bodies apart.
        var bodyMark = "body:" + WebhookJson.Hash(body.Span)[..27];
        if (await store.MarkAsync(key, bodyMark, now, cancellationToken))
        {
            if (Interlocked.Increment(ref taken) % PruneEvery == 1) await PruneAsync(provider, now, cancellationToken);
            return true;
        }
        return await store.OutcomeAsync(key, cancellationToken) == bodyMark;
    }

    /// <summary>
    /// Forgets replay keys no signature can still be accepted with: its timestamp may be up to MaxAge ahead of the
    /// clock when first seen and is refused once MaxAge behind, so a key older than twice MaxAge is of no more use.
    /// </summary>
    private async Task PruneAsync(string provider, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var forgotten = await store.ForgetAsync($"{provider}-token:", now - 2 * options.Value.MaxAge, PruneLimit, cancellationToken);
        if (forgotten > 0) Log.Pruned(logger, provider, forgotten);
    }

    private static Task AnswerAsync(HttpResponse response, WebhookReading reading, CancellationToken cancellationToken)
    {
        response.StatusCode = reading.Status;
        if (reading.Challenge is { } challenge) response.Headers.WWWAuthenticate = challenge;
        if (reading.Status == StatusCodes.Status503ServiceUnavailable) response.Headers.RetryAfter = "60";
        response.ContentType = "text/plain; charset=utf-8";
        // Only a sender that proved who it is learns what was wrong with its request.
        var text = reading.Status switch
        {
            StatusCodes.Status200OK => "ok",
            StatusCodes.Status400BadRequest => reading.Problem ?? "bad request",
            StatusCodes.Status401Unauthorized => "unauthorized",
            StatusCodes.Status403Forbidden => "forbidden",
            _ => "unavailable",
        };
        return response.WriteAsync(text + "\n", cancellationToken);
    }

    private static partial class Log
    {
        [LoggerMessage(LogEvents.WebhookEndpoint.Received, LogLevel.Information, "Webhook {Provider}: {Events} reports, {Applied} acted on")]
        public static partial void Received(ILogger logger, string provider, int events, int applied);

        [LoggerMessage(LogEvents.WebhookEndpoint.Refused, LogLevel.Information, "Webhook {Provider} refused with {Status}: {Reason}")]
        public static partial void Refused(ILogger logger, string provider, int status, string reason);

        [LoggerMessage(LogEvents.WebhookEndpoint.Replayed, LogLevel.Information, "Webhook {Provider}: a signature already used with another body; nothing recorded")]
        public static partial void Replayed(ILogger logger, string provider);

        [LoggerMessage(LogEvents.WebhookEndpoint.Pruned, LogLevel.Debug, "Webhook {Provider}: forgot {Count} replay keys older than twice Webhooks:MaxAge")]
        public static partial void Pruned(ILogger logger, string provider, int count);

        [LoggerMessage(LogEvents.WebhookEndpoint.Failed, LogLevel.Error, "Webhook {Provider} failed")]
        public static partial void Failed(ILogger logger, string provider, Exception exception);
    }
}

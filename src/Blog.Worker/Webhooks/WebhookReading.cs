using Blog.Feedback;
using Microsoft.AspNetCore.Http;

namespace Blog.Webhooks;

/// <summary>What a reader made of a request: the answer's status and, when accepted, the events to record.</summary>
/// <param name="Problem">For the log (refusals) or, for 400, the answer's text: never anything about subscribers.</param>
/// <param name="Challenge">The <c>WWW-Authenticate</c> value of a 401.</param>
/// <param name="ReplayKey">
/// A key that must not have been seen before with another body (Mailgun's token, which its signature covers but the
/// body does not): a request that reuses it on a different body records nothing.
/// </param>
internal sealed record WebhookReading(int Status, ImmutableArray<FeedbackEvent> Events, string? Problem = null, string? Challenge = null, string? ReplayKey = null)
{
    public static WebhookReading Accepted(IEnumerable<FeedbackEvent> events, string? replayKey = null) =>
        new(StatusCodes.Status200OK, [.. events], ReplayKey: replayKey);

    public static WebhookReading Unauthorized(string problem, string? challenge = null) =>
        new(StatusCodes.Status401Unauthorized, [], problem, challenge);

    public static WebhookReading Invalid(string problem) => new(StatusCodes.Status400BadRequest, [], problem);

    public static WebhookReading Forbidden(string problem) => new(StatusCodes.Status403Forbidden, [], problem);

    public static WebhookReading Unavailable(string problem) => new(StatusCodes.Status503ServiceUnavailable, [], problem);
}

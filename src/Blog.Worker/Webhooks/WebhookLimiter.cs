using System.Globalization;
using System.Threading.RateLimiting;
using Blog.Subscriptions;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.RateLimiting;

namespace Blog.Webhooks;

/// <summary>
/// The webhook endpoints' limit: <see cref="WebhooksOptions.RequestsPerMinute"/> per client (an IPv6 client by its
/// /64, as sign-ups are counted), so a flood of forged requests costs each its signature check and no more.
/// </summary>
internal sealed class WebhookLimiter : IRateLimiterPolicy<string>
{
    public const string Policy = "webhooks";

    public Func<OnRejectedContext, CancellationToken, ValueTask>? OnRejected { get; } = (rejected, cancellationToken) =>
    {
        var response = rejected.HttpContext.Response;
        response.StatusCode = StatusCodes.Status429TooManyRequests;
        response.Headers.RetryAfter = "60";
        response.Headers.CacheControl = "no-store";
        response.ContentType = "text/plain; charset=utf-8";
        return new ValueTask(response.WriteAsync("too many requests\n", cancellationToken));
    };

    public RateLimitPartition<string> GetPartition(HttpContext httpContext)
    {
        var permits = httpContext.RequestServices.GetRequiredService<IOptions<WebhooksOptions>>().Value.RequestsPerMinute;
        var client = SignUpLimiter.ClientKey(httpContext.Connection.RemoteIpAddress);
        return RateLimitPartition.GetFixedWindowLimiter(string.Create(CultureInfo.InvariantCulture, $"{client} {permits}"),
            _ => new FixedWindowRateLimiterOptions { PermitLimit = permits, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 });
    }
}

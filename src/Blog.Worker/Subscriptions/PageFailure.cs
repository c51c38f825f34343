using Microsoft.AspNetCore.Http;

namespace Blog.Subscriptions;

/// <summary>
/// Wraps a page handler: a failure (the database busy or gone, an owner's template failing at run time) is logged
/// and answered with a short plain-text page (not a template, which might be what failed) instead of an empty 500.
/// </summary>
internal static partial class PageFailure
{
    public static RequestDelegate Guard(Func<HttpContext, Task> handler) => async context =>
    {
        try
        {
            await handler(context);
        }
        catch (Exception e) when (!context.RequestAborted.IsCancellationRequested)
        {
            var logger = context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("Blog.Subscriptions.Pages");
            Log.Failed(logger, context.Request.Method, context.Request.Path, e);
            var response = context.Response;
            if (response.HasStarted) return;
            var unavailable = Storage.Database.IsDriverError(e);
            response.Clear();
            response.StatusCode = unavailable ? StatusCodes.Status503ServiceUnavailable : StatusCodes.Status500InternalServerError;
            response.ContentType = "text/plain; charset=utf-8";
            response.Headers.CacheControl = "no-store";
            if (unavailable) response.Headers.RetryAfter = "60";
            await response.WriteAsync(unavailable
                ? "Subscriptions are unavailable for a moment. Please try again in a minute.\n"
                : "Something went wrong on our side. Please try again later.\n", context.RequestAborted);
        }
    };

    private static partial class Log
    {
        [LoggerMessage(LogEvents.PageFailure.Failed, LogLevel.Error, "{Method} {Path} failed")]
        public static partial void Failed(ILogger logger, string method, string path, Exception exception);
    }
}

using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Blog.Webhooks;

/// <summary>Reads a webhook's whole body, bounded in size (413 beyond) and in time (408 when it is too slow).</summary>
internal static class WebhookBody
{
    /// <returns>The body, or null when the response (413, 408 or 400) has been set.</returns>
    public static async Task<ReadOnlyMemory<byte>?> ReadAsync(HttpContext context, WebhooksOptions options, TimeProvider time)
    {
        var max = options.MaxBodyBytes;
        if (context.Request.ContentLength > max) return Refuse(context, StatusCodes.Status413PayloadTooLarge);
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit) limit.MaxRequestBodySize = max;
        using var timeout = new CancellationTokenSource(options.BodyTimeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, context.RequestAborted);
        // Grown as the body arrives rather than sized by Content-Length, which the sender chose.
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        try
        {
            int read;
            while ((read = await context.Request.Body.ReadAsync(chunk, linked.Token)) > 0)
            {
                if (buffer.Length + read > max) return Refuse(context, StatusCodes.Status413PayloadTooLarge);
                buffer.Write(chunk, 0, read);
            }
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return Refuse(context, StatusCodes.Status413PayloadTooLarge);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !context.RequestAborted.IsCancellationRequested)
        {
            return Refuse(context, StatusCodes.Status408RequestTimeout);
        }
        catch (Exception e) when (e is BadHttpRequestException or IOException && !context.RequestAborted.IsCancellationRequested)
        {
            return Refuse(context, StatusCodes.Status400BadRequest);
        }
        // The stream's own buffer, not a copy of it: a body up to MaxBodyBytes is held once.
        return new ReadOnlyMemory<byte>(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    private static ReadOnlyMemory<byte>? Refuse(HttpContext context, int status)
    {
        context.Response.StatusCode = status;
        // The rest of the body is not read; the connection is not worth keeping for it.
        if (status != StatusCodes.Status400BadRequest) context.Response.Headers.Connection = "close";
        return null;
    }
}

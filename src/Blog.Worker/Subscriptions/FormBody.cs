using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Blog.Subscriptions;

/// <summary>Reads a small form body, refusing a large one with 413 before it is read.</summary>
internal static class FormBody
{
    /// <returns>The form, or null when the response (413 or 400) has been written.</returns>
    public static async Task<IFormCollection?> ReadAsync(HttpContext context, int maxBytes, PageWriter pages)
    {
        var request = context.Request;
        if (request.ContentLength > maxBytes)
        {
            await TooLargeAsync(context, pages);
            return null;
        }
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit) limit.MaxRequestBodySize = maxBytes;
        if (!request.HasFormContentType) return FormCollection.Empty;
        try
        {
            return await request.ReadFormAsync(new FormOptions
            {
                ValueCountLimit = 200,
                ValueLengthLimit = maxBytes,
                MultipartBodyLengthLimit = maxBytes,
                BufferBody = false,
            }, context.RequestAborted);
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            // The server's count of the body's bytes against MaxRequestBodySize (set above): the one "too large" there is,
            // since every limit of the form reader's own is at least that size, except the count of fields.
            await TooLargeAsync(context, pages);
            return null;
        }
        catch (Exception e) when (e is InvalidDataException or IOException && !context.RequestAborted.IsCancellationRequested)
        {
            // Not a form the reader could read: malformed, cut short, or more fields than a sign-up has. Each is the
            // sender's mistake (400), whatever words the reader chose for it.
            await pages.ErrorAsync(context, StatusCodes.Status400BadRequest, "That did not work", "The form could not be read. Please try again.");
            return null;
        }
    }

    private static Task TooLargeAsync(HttpContext context, PageWriter pages) =>
        pages.ErrorAsync(context, StatusCodes.Status413PayloadTooLarge, "Too much data", "The form sent more data than a sign-up needs.");
}

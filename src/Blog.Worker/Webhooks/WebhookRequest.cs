using Microsoft.AspNetCore.Http;

namespace Blog.Webhooks;

/// <summary>A webhook request as the readers see it: its headers and its whole (bounded) body, as sent.</summary>
/// <param name="Body">The body as it was read, not copied again: readers parse and hash it where it lies.</param>
internal sealed record WebhookRequest(IHeaderDictionary Headers, ReadOnlyMemory<byte> Body);

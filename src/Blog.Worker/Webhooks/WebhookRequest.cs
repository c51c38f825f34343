using Microsoft.AspNetCore.Http;

namespace Blog.Webhooks;

/// <summary>A webhook request as the readers see it: its headers and its whole (bounded) body, as sent.</summary>
internal sealed record WebhookRequest(IHeaderDictionary Headers, byte[] Body);

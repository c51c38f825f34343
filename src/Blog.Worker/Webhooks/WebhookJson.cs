using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using Blog.MailingList;

namespace Blog.Webhooks;

/// <summary>
/// Reading providers' JSON without reflection (Native AOT): a JsonDocument over the bounded body, nested no deeper
/// than any provider's events are, and lookups that treat a missing or mistyped field as absent.
/// </summary>
internal static class WebhookJson
{
    private static readonly JsonDocumentOptions Limits = new() { MaxDepth = 16, CommentHandling = JsonCommentHandling.Disallow, AllowTrailingCommas = false };

    /// <summary>Longest diagnostic kept from a provider: what a DSN's diagnostic code needs, not a whole bounce.</summary>
    private const int MaxDiagnostic = 500;

    public static JsonDocument? TryParse(ReadOnlyMemory<byte> body, out string error)
    {
        try
        {
            error = "";
            return JsonDocument.Parse(body, Limits);
        }
        catch (JsonException e)
        {
            error = $"the body is not valid JSON (line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1})";
            return null;
        }
    }

    public static JsonDocument? TryParse(string text, out string error)
    {
        try
        {
            error = "";
            return JsonDocument.Parse(text, Limits);
        }
        catch (JsonException e)
        {
            error = $"not valid JSON (line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1})";
            return null;
        }
    }

    /// <summary>A string (or number, as text) property, else null.</summary>
    public static string? Text(this JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value)
            ? value.ValueKind switch
            {
                JsonValueKind.String => value.GetString(),
                JsonValueKind.Number => value.GetRawText(),
                JsonValueKind.True => "true",
                JsonValueKind.False => "false",
                _ => null,
            }
            : null;

    /// <summary>An object or array property, else an undefined element.</summary>
    public static JsonElement Child(this JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) ? value : default;

    public static IEnumerable<JsonElement> Items(this JsonElement element) =>
        element.ValueKind == JsonValueKind.Array ? element.EnumerateArray() : [];

    /// <summary>A Message-ID as we store it: without its angle brackets; null when there is none.</summary>
    public static string? MessageId(string? value)
    {
        var id = value?.Trim().TrimStart('<').TrimEnd('>').Trim();
        return string.IsNullOrEmpty(id) || id.Length > 998 ? null : id;
    }

    /// <summary>The address in a recipient field (<c>a@b</c>, or <c>Name &lt;a@b&gt;</c>), when it is one.</summary>
    public static string? Address(string? value)
    {
        if (string.IsNullOrWhiteSpace(value)) return null;
        var text = value.Trim();
        var open = text.LastIndexOf('<');
        if (open >= 0 && text.EndsWith('>')) text = text[(open + 1)..^1];
        return EmailAddress.TryParse(text, out var address, out _) ? address.Value : null;
    }

    public static string Diagnostic(params string?[] parts)
    {
        var text = string.Join(" ", parts.Where(p => !string.IsNullOrWhiteSpace(p)).Select(p => p!.Trim()));
        text = string.Concat(text.Select(c => char.IsControl(c) ? ' ' : c));
        return text.Length > MaxDiagnostic ? text[..MaxDiagnostic] : text;
    }

    /// <summary>An ISO 8601 time, or Unix seconds (with a fraction, as Mailgun sends), else null.</summary>
    public static DateTimeOffset? Time(string? value)
    {
        if (string.IsNullOrEmpty(value)) return null;
        if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds))
            return seconds is > 0 and < 32503680000 ? DateTimeOffset.FromUnixTimeMilliseconds((long)(seconds * 1000)) : null;
        return DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) ? at : null;
    }

    /// <summary>
    /// A value from a request not yet authenticated, fit for a log line or an answer: control characters (line breaks,
    /// a terminal's escapes) become spaces, so a sender cannot forge log lines, and it is cut to 100 characters.
    /// </summary>
    public static string Printable(string? value)
    {
        if (value is null) return "";
        var text = string.Concat(value.Take(101).Select(c => char.IsControl(c) ? ' ' : c));
        return text.Length > 100 ? text[..100] + "…" : text;
    }

    /// <summary>A key for a body with no id of its own: its SHA-256, so the same body is the same report.</summary>
    public static string Hash(ReadOnlySpan<byte> body) => Convert.ToHexStringLower(SHA256.HashData(body));
}

using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Blog.Feeds;

/// <summary>JSON Feed 1.1 (https://jsonfeed.org/version/1.1).</summary>
public static class JsonFeedWriter
{
    public const string Version = "https://jsonfeed.org/version/1.1";

    private static readonly JsonWriterOptions Options = new()
    {
        Indented = true,
        // The document is served as application/feed+json, never inlined in HTML, so readable non-ASCII is safe.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    // Reused per thread: a new writer starts with a small buffer and grows it through every post's content.
    [ThreadStatic]
    private static Utf8JsonWriter? writer;

    public static FeedDocument Write(string path, FeedHeader header, IReadOnlyList<FeedEntry> entries) => DocumentBuffer.Capture(path, stream =>
    {
        var json = writer ??= new Utf8JsonWriter(Stream.Null, Options);
        json.Reset(stream);
        json.WriteStartObject();
        json.WriteString("version", Version);
        json.WriteString("title", header.Title);
        json.WriteString("home_page_url", header.Home.AbsoluteUri);
        json.WriteString("feed_url", header.Json.AbsoluteUri);
        if (header.Description.Length > 0) json.WriteString("description", header.Description);
        json.WriteString("language", header.Language);
        json.WriteStartArray("authors");
        json.WriteStartObject();
        json.WriteString("name", header.AuthorName);
        if (header.AuthorEmail is not null) json.WriteString("url", "mailto:" + header.AuthorEmail);
        json.WriteEndObject();
        json.WriteEndArray();
        if (!header.Hubs.IsEmpty)
        {
            json.WriteStartArray("hubs");
            foreach (var hub in header.Hubs)
            {
                json.WriteStartObject();
                json.WriteString("type", "WebSub");
                json.WriteString("url", hub.AbsoluteUri);
                json.WriteEndObject();
            }
            json.WriteEndArray();
        }
        json.WriteStartArray("items");
        foreach (var entry in entries) WriteItem(json, entry);
        json.WriteEndArray();
        json.WriteEndObject();
        json.Flush();
        stream.WriteByte((byte)'\n');
    });

    private static void WriteItem(Utf8JsonWriter json, FeedEntry entry)
    {
        json.WriteStartObject();
        json.WriteString("id", entry.Id);
        json.WriteString("url", entry.Link.AbsoluteUri);
        json.WriteString("title", entry.Title);
        if (entry.Content is not null) json.WriteString("content_html", entry.Content.Json);
        else json.WriteString("content_html", "");
        if (entry.Summary is not null) json.WriteString("summary", entry.Summary);
        json.WriteString("date_published", Rfc3339(entry.Published));
        json.WriteString("date_modified", Rfc3339(entry.Updated));
        if (entry.Tags.Length > 0)
        {
            json.WriteStartArray("tags");
            foreach (var tag in entry.Tags) json.WriteStringValue(tag);
            json.WriteEndArray();
        }
        json.WriteEndObject();
    }

    private static string Rfc3339(DateTimeOffset value) =>
        value.ToString(value.Offset == TimeSpan.Zero ? "yyyy-MM-dd'T'HH:mm:ss'Z'" : "yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);
}

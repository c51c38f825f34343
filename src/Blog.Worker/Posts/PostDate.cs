using System.Globalization;

namespace Blog.Posts;

/// <summary>ISO 8601 dates from front matter. One without an offset is a wall-clock time in the site's zone.</summary>
public static class PostDate
{
    private static readonly string[] Local =
    [
        "yyyy-MM-dd", "yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF",
        "yyyy-MM-dd HH:mm", "yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd HH:mm:ss.FFFFFFF",
    ];

    private static readonly string[] Zoned = [.. Local.Skip(1).SelectMany(f => new[] { f + "zzz", f + "'Z'", f + " zzz", f + " 'Z'" })];

    public static bool TryParse(string text, TimeZoneInfo zone, out DateTimeOffset value)
    {
        text = text.Trim();
        if (DateTimeOffset.TryParseExact(text, Zoned, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out value))
            return true;
        if (DateTime.TryParseExact(text, Local, CultureInfo.InvariantCulture, DateTimeStyles.None, out var wall))
        {
            // A wall-clock time skipped by a DST change does not exist; reading it an hour later is what clocks did.
            if (zone.IsInvalidTime(wall)) wall = wall.AddHours(1);
            value = new DateTimeOffset(wall, zone.GetUtcOffset(wall));
            return true;
        }
        value = default;
        return false;
    }
}

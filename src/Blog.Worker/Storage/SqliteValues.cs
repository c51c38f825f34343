using Blog.Subscribers;
using Microsoft.Data.Sqlite;

namespace Blog.Storage;

/// <summary>How values are stored: times as Unix milliseconds, tags space-separated, statuses in lower case.</summary>
internal static class SqliteValues
{
    public static long Time(DateTimeOffset value) => value.ToUnixTimeMilliseconds();

    public static object Time(DateTimeOffset? value) => value is { } v ? v.ToUnixTimeMilliseconds() : DBNull.Value;

    public static DateTimeOffset? Time(SqliteDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(ordinal));

    public static string Tags(ImmutableArray<string> tags) => string.Join(' ', tags);

    public static ImmutableArray<string> Tags(string text) =>
        text.Length == 0 ? [] : [.. text.Split(' ', StringSplitOptions.RemoveEmptyEntries)];

    public static string Status(SubscriberStatus status) => status switch
    {
        SubscriberStatus.Pending => "pending",
        SubscriberStatus.Active => "active",
        SubscriberStatus.Unsubscribed => "unsubscribed",
        _ => "bounced",
    };

    public static SubscriberStatus Status(string text) => text switch
    {
        "pending" => SubscriberStatus.Pending,
        "active" => SubscriberStatus.Active,
        "unsubscribed" => SubscriberStatus.Unsubscribed,
        "bounced" => SubscriberStatus.Bounced,
        _ => throw new StorageException($"unknown subscriber status \"{text}\" in the database"),
    };

    public const string SubscriberColumns =
        "id, address, status, tags, cadence, created_at, confirmed_at, confirmation_sent_at, unsubscribed_at, watermark, bounces";

    public static Subscriber Subscriber(SqliteDataReader r) => new(
        r.GetInt64(0), r.GetString(1), Status(r.GetString(2)), Tags(r.GetString(3)), r.GetString(4),
        DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(5)), Time(r, 6), Time(r, 7), Time(r, 8), Time(r, 9), r.GetInt32(10));

    public static SqliteCommand Command(this SqliteConnection connection, string sql, SqliteTransaction? transaction = null, params (string Name, object? Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        return command;
    }
}

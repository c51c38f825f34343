using System.Data.Common;
using System.Globalization;
using Blog.MailingList;

namespace Blog.Storage;

/// <summary>How values are stored, the same in every database: times as Unix milliseconds, tags space-separated, statuses in lower case.</summary>
internal static class SqlValues
{
    public static long Time(DateTimeOffset value) => value.ToUnixTimeMilliseconds();

    public static object Time(DateTimeOffset? value) => value is { } v ? v.ToUnixTimeMilliseconds() : DBNull.Value;

    public static DateTimeOffset? Time(DbDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(ordinal));

    /// <summary>A count: an integer in SQLite, a bigint in PostgreSQL.</summary>
    public static int Count(DbDataReader reader, int ordinal) => Convert.ToInt32(reader.GetValue(ordinal), CultureInfo.InvariantCulture);

    public static string Tags(ImmutableArray<string> tags) => string.Join(' ', tags);

    public static ImmutableArray<string> Tags(string text) =>
        text.Length == 0 ? [] : [.. text.Split(' ', StringSplitOptions.RemoveEmptyEntries)];

    public static string Status(SubscriberStatus status) => status.ToText();

    public static SubscriberStatus Status(string text) =>
        SubscriberStatusText.TryParse(text, out var status) ? status : throw new StorageException($"unknown subscriber status \"{text}\" in the database");

    public const string SubscriberColumns =
        "id, address, status, tags, cadence, created_at, confirmed_at, confirmation_sent_at, unsubscribed_at, watermark, bounces, link_key";

    public static Subscriber Subscriber(DbDataReader r) => new(
        r.GetInt64(0), r.GetString(1), Status(r.GetString(2)), Tags(r.GetString(3)), r.GetString(4),
        DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(5)), Time(r, 6), Time(r, 7), Time(r, 8), Time(r, 9), Count(r, 10),
        r.IsDBNull(11) ? null : r.GetString(11));

    /// <summary>A command with its parameters, named <c>@name</c> in the SQL, which both drivers read.</summary>
    public static DbCommand Command(this DbConnection connection, string sql, DbTransaction? transaction = null, params (string Name, object? Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        foreach (var (name, value) in parameters) command.Parameters.Add(Parameter(command, name, value));
        return command;
    }

    public static DbParameter Parameter(DbCommand command, string name, object? value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value ?? DBNull.Value;
        return parameter;
    }

    /// <summary>Sets a parameter of a prepared command for its next run.</summary>
    public static void Set(this DbCommand command, string name, object? value) => command.Parameters[name].Value = value ?? DBNull.Value;
}

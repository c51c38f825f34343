using System.Data.Common;
using System.Globalization;
using System.Security.Cryptography;
using Blog.Readership;
using static Blog.Storage.SqlValues;

namespace Blog.Storage;

/// <summary>
/// Feed readership in SQLite or PostgreSQL (<c>feed_aggregators</c>, <c>feed_reader_marks</c>, <c>feed_readers</c>;
/// the day's salt in <c>blog_state</c>). Days are stored as days since 1970-01-01, UTC.
/// </summary>
public sealed class SqlReadershipStore(Database database) : IReadershipStore
{
    /// <summary>Followed by the day as yyyy-MM-dd, so the salts of past days sort before a day's key.</summary>
    private const string SaltPrefix = "readership.salt.";

    private static readonly int EpochDay = new DateOnly(1970, 1, 1).DayNumber;

    public static long Day(DateOnly day) => day.DayNumber - EpochDay;

    public static DateOnly Day(long stored) => DateOnly.FromDayNumber((int)(stored + EpochDay));

    private static string SaltKey(DateOnly day) => SaltPrefix + day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public async Task<byte[]> SaltAsync(DateOnly day, CancellationToken cancellationToken)
    {
        var key = SaltKey(day);
        using var turn = await database.WriterAsync(cancellationToken, crashSafeOnly: true);
        // Whichever node gets here first makes the salt; the others read the one it stored.
        await using (var insert = turn.Connection.Command("INSERT INTO blog_state (key, value) VALUES (@key, @value) ON CONFLICT DO NOTHING", null,
            ("@key", key), ("@value", Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)))))
            await insert.ExecuteNonQueryAsync(cancellationToken);
        await using var read = turn.Connection.Command("SELECT value FROM blog_state WHERE key = @key", null, ("@key", key));
        return Convert.FromBase64String((string)(await read.ExecuteScalarAsync(cancellationToken))!);
    }

    public async Task RecordAsync(ReadershipBatch batch, ReadershipLimits limits, CancellationToken cancellationToken)
    {
        if (batch.Aggregators.Count == 0 && batch.Marks.Count == 0) return;
        using var turn = await database.WriterAsync(cancellationToken, crashSafeOnly: true);
        var connection = turn.Connection;
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        foreach (var group in batch.Aggregators.GroupBy(a => (a.Day, a.Feed)))
        {
            var known = new HashSet<string>(StringComparer.Ordinal);
            await using (var read = connection.Command("SELECT aggregator FROM feed_aggregators WHERE day = @day AND feed = @feed", transaction,
                ("@day", Day(group.Key.Day)), ("@feed", group.Key.Feed)))
            await using (var reader = await read.ExecuteReaderAsync(cancellationToken))
            {
                while (await reader.ReadAsync(cancellationToken)) known.Add(reader.GetString(0));
            }
            // The latest report of the day wins, whichever node flushes last.
            await using var upsert = connection.Command(
                "INSERT INTO feed_aggregators (day, feed, aggregator, subscribers, seen_at) VALUES (@day, @feed, @aggregator, @subscribers, @seen) " +
                "ON CONFLICT (day, feed, aggregator) DO UPDATE SET subscribers = excluded.subscribers, seen_at = excluded.seen_at " +
                "WHERE excluded.seen_at >= feed_aggregators.seen_at",
                transaction, ("@day", Day(group.Key.Day)), ("@feed", group.Key.Feed), ("@aggregator", ""), ("@subscribers", 0L), ("@seen", 0L));
            foreach (var sighting in group)
            {
                if (!known.Contains(sighting.Aggregator))
                {
                    if (known.Count >= limits.AggregatorsPerFeedDay) continue;
                    known.Add(sighting.Aggregator);
                }
                upsert.Set("@aggregator", sighting.Aggregator);
                upsert.Set("@subscribers", sighting.Subscribers);
                upsert.Set("@seen", Time(sighting.SeenAt));
                await upsert.ExecuteNonQueryAsync(cancellationToken);
            }
        }
        foreach (var group in batch.Marks.GroupBy(m => (m.Day, m.Feed)))
        {
            long marked;
            await using (var count = connection.Command("SELECT COUNT(*) FROM feed_reader_marks WHERE day = @day AND feed = @feed", transaction,
                ("@day", Day(group.Key.Day)), ("@feed", group.Key.Feed)))
                marked = Convert.ToInt64(await count.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
            await using var insert = connection.Command("INSERT INTO feed_reader_marks (day, feed, reader) VALUES (@day, @feed, @reader) ON CONFLICT DO NOTHING",
                transaction, ("@day", Day(group.Key.Day)), ("@feed", group.Key.Feed), ("@reader", ""));
            foreach (var mark in group)
            {
                if (marked >= limits.ReadersPerFeedDay) break;
                insert.Set("@reader", mark.Reader);
                marked += await insert.ExecuteNonQueryAsync(cancellationToken);
            }
        }
        await transaction.CommitAsync(cancellationToken);
    }

    public async Task FoldAsync(DateOnly before, CancellationToken cancellationToken)
    {
        using var turn = await database.WriterAsync(cancellationToken, crashSafeOnly: true);
        var connection = turn.Connection;
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        // Added, not replaced: marks a slow node wrote for a day already folded are counted on the next fold.
        await using (var fold = connection.Command(
            "INSERT INTO feed_readers (day, feed, readers) SELECT day, feed, COUNT(*) FROM feed_reader_marks WHERE day < @before GROUP BY day, feed " +
            "ON CONFLICT (day, feed) DO UPDATE SET readers = feed_readers.readers + excluded.readers", transaction, ("@before", Day(before))))
            await fold.ExecuteNonQueryAsync(cancellationToken);
        await using (var prune = connection.Command("DELETE FROM feed_reader_marks WHERE day < @before", transaction, ("@before", Day(before))))
            await prune.ExecuteNonQueryAsync(cancellationToken);
        await using (var salts = connection.Command("DELETE FROM blog_state WHERE key >= @prefix AND key < @before", transaction,
            ("@prefix", SaltPrefix), ("@before", SaltKey(before))))
            await salts.ExecuteNonQueryAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    public async Task<ReadershipReport> ReportAsync(DateOnly first, DateOnly last, ReadershipLimits limits, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var days = new Dictionary<(long Day, string Feed), (long Subscribers, long Readers)>();
        var aggregators = new List<AggregatorDay>();
        await ReadAsync("SELECT day, feed, aggregator, subscribers FROM feed_aggregators WHERE day BETWEEN @from AND @to ORDER BY day, feed, aggregator",
            r =>
            {
                var key = (r.GetInt64(0), r.GetString(1));
                var subscribers = r.GetInt64(3);
                aggregators.Add(new AggregatorDay(Day(key.Item1), key.Item2, r.GetString(2), subscribers));
                var was = days.GetValueOrDefault(key);
                days[key] = (was.Subscribers + subscribers, was.Readers);
            });
        // A day is folded or not yet (its marks still counted live); a slow node's late marks can leave both.
        const string readers = "SELECT day, feed, readers FROM feed_readers WHERE day BETWEEN @from AND @to " +
            "UNION ALL SELECT day, feed, COUNT(*) FROM feed_reader_marks WHERE day BETWEEN @from AND @to GROUP BY day, feed";
        await ReadAsync(readers, r =>
        {
            var key = (r.GetInt64(0), r.GetString(1));
            var was = days.GetValueOrDefault(key);
            days[key] = (was.Subscribers, was.Readers + r.GetInt64(2));
        });
        return new ReadershipReport(
            [.. days.OrderBy(d => d.Key.Day).ThenBy(d => d.Key.Feed, StringComparer.Ordinal)
                .Select(d => new FeedDay(Day(d.Key.Day), d.Key.Feed, d.Value.Subscribers, d.Value.Readers, d.Value.Readers >= limits.ReadersPerFeedDay))],
            aggregators);

        async Task ReadAsync(string sql, Action<DbDataReader> row)
        {
            await using var command = connection.Command(sql, null, ("@from", Day(first)), ("@to", Day(last)));
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken)) row(reader);
        }
    }
}

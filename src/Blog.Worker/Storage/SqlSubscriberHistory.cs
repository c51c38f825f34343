using System.Data.Common;
using Blog.MailingList;
using static Blog.Storage.SqlValues;

namespace Blog.Storage;

/// <summary>
/// The list's size day by day (<c>subscriber_daily</c>), in SQLite or PostgreSQL. A day is a UTC day, kept as its
/// number of days since 1970-01-01, so a timestamp's day is <c>at / 86400000</c>.
/// </summary>
public sealed class SqlSubscriberHistory(Database database, TimeProvider? time = null) : ISubscriberHistory
{
    private const long DayMilliseconds = 86_400_000;
    private static readonly int EpochDay = new DateOnly(1970, 1, 1).DayNumber;

    private static readonly string[] Statuses = ["pending", "active", "unsubscribed", "bounced", "complained"];

    private const string Upsert =
        "INSERT INTO subscriber_daily (day, pending, active, unsubscribed, bounced, complained, signups, unsubscribes, taken_at) " +
        "VALUES (@day, @pending, @active, @unsubscribed, @bounced, @complained, @signups, @unsubscribes, @taken) ";

    private readonly TimeProvider time = time ?? TimeProvider.System;

    public static long DayNumber(DateOnly day) => day.DayNumber - EpochDay;

    public static DateOnly Day(long number) => DateOnly.FromDayNumber((int)(number + EpochDay));

    public async Task SnapshotAsync(DateOnly day, CancellationToken cancellationToken)
    {
        var from = DayNumber(day) * DayMilliseconds;
        var counts = new long[Statuses.Length];
        long signUps = 0, unsubscribes = 0;
        // One pass over the list: its counts by status and the day's comings and goings together.
        await using (var connection = await database.OpenAsync(cancellationToken))
        await using (var command = connection.Command(
            "SELECT status, COUNT(*), " +
            "SUM(CASE WHEN created_at >= @from AND created_at < @to THEN 1 ELSE 0 END), " +
            "SUM(CASE WHEN unsubscribed_at >= @from AND unsubscribed_at < @to THEN 1 ELSE 0 END) " +
            "FROM subscribers GROUP BY status", null, ("@from", from), ("@to", from + DayMilliseconds)))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                var index = Array.IndexOf(Statuses, reader.GetString(0));
                if (index >= 0) counts[index] = Long(reader, 1);
                signUps += Long(reader, 2);
                unsubscribes += Long(reader, 3);
            }
        }
        using var turn = await database.WriterAsync(cancellationToken, crashSafeOnly: true);
        await using var upsert = turn.Connection.Command(Upsert +
            "ON CONFLICT (day) DO UPDATE SET pending = excluded.pending, active = excluded.active, unsubscribed = excluded.unsubscribed, " +
            "bounced = excluded.bounced, complained = excluded.complained, signups = excluded.signups, unsubscribes = excluded.unsubscribes, " +
            "taken_at = excluded.taken_at");
        Bind(upsert, DayNumber(day), counts, signUps, unsubscribes, Time(time.GetUtcNow()));
        await upsert.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <remarks>
    /// How a past day is reconstructed: each subscriber still on the list counts from the day of its
    /// <c>created_at</c>. It was pending until its <c>confirmed_at</c> (an active one without it was added active),
    /// then active. One that is now unsubscribed became so on its <c>unsubscribed_at</c>; one now bounced or
    /// complained, on its latest hard or soft bounce, or its latest complaint, in <c>subscriber_events</c> (failing
    /// that its <c>unsubscribed_at</c>, failing that its <c>created_at</c>). A status is counted at the end of a day
    /// when its time falls within or before that day. Sign-ups are the <c>created_at</c>s of a day, unsubscribes its
    /// <c>unsubscribed_at</c>s. What the list no longer holds cannot be told: subscribers forgotten since, and every
    /// status but the current one and the one before (someone who left and came back counts as never having left).
    /// </remarks>
    public async Task<int> ReconstructAsync(DateOnly today, int maxDays, CancellationToken cancellationToken)
    {
        var end = DayNumber(today);
        var window = end - maxDays;
        await using var connection = await database.OpenAsync(cancellationToken);
        long? first;
        await using (var earliest = connection.Command("SELECT MIN(created_at) FROM subscribers"))
            first = await earliest.ExecuteScalarAsync(cancellationToken) is { } at and not DBNull ? Convert.ToInt64(at, System.Globalization.CultureInfo.InvariantCulture) / DayMilliseconds : null;
        if (first is null) return 0;
        var start = Math.Max(window, first.Value);
        if (start >= end) return 0;
        var have = new HashSet<long>();
        await using (var days = connection.Command("SELECT day FROM subscriber_daily WHERE day >= @start AND day < @end", null, ("@start", start), ("@end", end)))
        await using (var reader = await days.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken)) have.Add(Long(reader, 0));
        }
        var length = (int)(end - start);
        if (have.Count == length) return 0;

        // Per status, +1 on the day a subscriber enters it and -1 on the day it leaves; summed along, the count each day.
        var change = new long[Statuses.Length, length + 1];
        var signUps = new long[length];
        var unsubscribes = new long[length];
        void Span(int status, long from, long until)
        {
            from = Math.Max(from, start);
            until = Math.Min(until, end);
            if (from >= until) return;
            change[status, from - start]++;
            change[status, until - start]--;
        }
        await using (var all = connection.Command(
            "SELECT s.status, s.created_at, s.confirmed_at, s.unsubscribed_at, " +
            "CASE WHEN s.status = 'bounced' THEN (SELECT MAX(e.at) FROM subscriber_events e WHERE e.subscriber_id = s.id AND e.kind IN ('hard-bounce', 'soft-bounce')) " +
            "WHEN s.status = 'complained' THEN (SELECT MAX(e.at) FROM subscriber_events e WHERE e.subscriber_id = s.id AND e.kind = 'complaint') END " +
            "FROM subscribers s"))
        await using (var reader = await all.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                var status = Array.IndexOf(Statuses, reader.GetString(0));
                var created = reader.GetInt64(1) / DayMilliseconds;
                long? confirmed = reader.IsDBNull(2) ? null : reader.GetInt64(2) / DayMilliseconds;
                long? left = reader.IsDBNull(3) ? null : reader.GetInt64(3) / DayMilliseconds;
                long? changed = reader.IsDBNull(4) ? null : reader.GetInt64(4) / DayMilliseconds;
                if (created >= start && created < end) signUps[created - start]++;
                if (left is { } l && l >= start && l < end) unsubscribes[l - start]++;
                if (status < 0) continue;
                switch (Statuses[status])
                {
                    case "pending":
                        Span(0, created, long.MaxValue);
                        break;
                    case "active":
                        var since = Math.Max(created, confirmed ?? created);
                        Span(0, created, since);
                        Span(1, since, long.MaxValue);
                        break;
                    default:
                        var until = Math.Max(created, changed ?? left ?? created);
                        if (confirmed is { } c && c < until)
                        {
                            Span(0, created, Math.Max(created, c));
                            Span(1, Math.Max(created, c), until);
                        }
                        else
                        {
                            Span(0, created, until);
                        }
                        Span(status, until, long.MaxValue);
                        break;
                }
            }
        }

        using var turn = await database.WriterAsync(cancellationToken, crashSafeOnly: true);
        await using var transaction = await turn.Connection.BeginTransactionAsync(cancellationToken);
        // DO NOTHING: a snapshot another node wrote meanwhile knows better than a reconstruction.
        await using var insert = turn.Connection.Command(Upsert + "ON CONFLICT (day) DO NOTHING", transaction);
        var running = new long[Statuses.Length];
        var written = 0;
        for (var d = 0; d < length; d++)
        {
            for (var s = 0; s < Statuses.Length; s++) running[s] += change[s, d];
            if (have.Contains(start + d)) continue;
            // Taken at the day's end: what it would have been, had the service been running then.
            Bind(insert, start + d, running, signUps[d], unsubscribes[d], (start + d + 1) * DayMilliseconds);
            written += await insert.ExecuteNonQueryAsync(cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
        return written;
    }

    public async Task<IReadOnlyList<SubscriberDay>> DaysAsync(DateOnly first, DateOnly last, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.Command(
            "SELECT day, pending, active, unsubscribed, bounced, complained, signups, unsubscribes FROM subscriber_daily " +
            "WHERE day >= @from AND day <= @to ORDER BY day", null, ("@from", DayNumber(first)), ("@to", DayNumber(last)));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var days = new List<SubscriberDay>();
        while (await reader.ReadAsync(cancellationToken))
            days.Add(new SubscriberDay(Day(Long(reader, 0)), Long(reader, 1), Long(reader, 2), Long(reader, 3), Long(reader, 4), Long(reader, 5),
                Long(reader, 6), Long(reader, 7)));
        return days;
    }

    private static void Bind(DbCommand command, long day, long[] counts, long signUps, long unsubscribes, long takenAt)
    {
        command.Parameters.Clear();
        command.Parameters.Add(Parameter(command, "@day", day));
        for (var s = 0; s < Statuses.Length; s++) command.Parameters.Add(Parameter(command, "@" + Statuses[s], counts[s]));
        command.Parameters.Add(Parameter(command, "@signups", signUps));
        command.Parameters.Add(Parameter(command, "@unsubscribes", unsubscribes));
        command.Parameters.Add(Parameter(command, "@taken", takenAt));
    }

    private static long Long(DbDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? 0 : Convert.ToInt64(reader.GetValue(ordinal), System.Globalization.CultureInfo.InvariantCulture);
}

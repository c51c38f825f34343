using System.Data.Common;
using System.Globalization;
using Npgsql;
using NpgsqlTypes;

namespace Blog.Storage;

/// <summary>
/// Copies a SQLite install into an empty PostgreSQL database, in one transaction: subscribers (ids and link keys kept,
/// so every link already mailed still names the right one, and ids merged away still lead to whom they were merged
/// into), queued mail, and the digest history with its deliveries. New ids start past every id SQLite ever used. Then it
/// counts both sides, table by table, and rolls back unless they agree. Leases are not copied: the SQLite service is
/// stopped, so nobody holds them.
/// </summary>
public sealed class StorageCopy(Database source, PostgresDatabase target)
{
    private sealed record Table(string Name, string Order, (string Column, NpgsqlDbType Type)[] Columns);

    private static readonly Table[] Tables =
    [
        new("subscribers", "id", [("id", NpgsqlDbType.Bigint), ("address", NpgsqlDbType.Text), ("status", NpgsqlDbType.Text), ("tags", NpgsqlDbType.Text),
            ("cadence", NpgsqlDbType.Text), ("created_at", NpgsqlDbType.Bigint), ("confirmed_at", NpgsqlDbType.Bigint), ("confirmation_sent_at", NpgsqlDbType.Bigint),
            ("unsubscribed_at", NpgsqlDbType.Bigint), ("watermark", NpgsqlDbType.Bigint), ("bounces", NpgsqlDbType.Integer),
            ("address_key", NpgsqlDbType.Text), ("link_key", NpgsqlDbType.Text)]),
        new("subscriber_merges", "id", [("id", NpgsqlDbType.Bigint), ("into_id", NpgsqlDbType.Bigint)]),
        new("mail_outbox", "id", [("id", NpgsqlDbType.Bigint), ("subscriber_id", NpgsqlDbType.Bigint), ("recipient", NpgsqlDbType.Text), ("message_id", NpgsqlDbType.Text),
            ("purpose", NpgsqlDbType.Text), ("mime", NpgsqlDbType.Bytea), ("status", NpgsqlDbType.Text), ("attempts", NpgsqlDbType.Integer),
            ("next_attempt_at", NpgsqlDbType.Bigint), ("lease_until", NpgsqlDbType.Bigint), ("last_error", NpgsqlDbType.Text), ("created_at", NpgsqlDbType.Bigint)]),
        new("digest_runs", "key", [("key", NpgsqlDbType.Text), ("cadence", NpgsqlDbType.Text), ("created_at", NpgsqlDbType.Bigint), ("planned_at", NpgsqlDbType.Bigint)]),
        new("deliveries", "run_key, subscriber_id", [("run_key", NpgsqlDbType.Text), ("subscriber_id", NpgsqlDbType.Bigint), ("status", NpgsqlDbType.Text),
            ("posts", NpgsqlDbType.Text), ("watermark", NpgsqlDbType.Bigint), ("message_id", NpgsqlDbType.Text), ("attempts", NpgsqlDbType.Integer),
            ("next_attempt_at", NpgsqlDbType.Bigint), ("lease_until", NpgsqlDbType.Bigint), ("last_error", NpgsqlDbType.Text), ("settled_at", NpgsqlDbType.Bigint),
            ("sent_by", NpgsqlDbType.Text), ("more_posts", NpgsqlDbType.Integer)]),
        // When each post was first seen public: without it every post would be new again to the copy, and mailed.
        new("posts_seen", "post_id", [("post_id", NpgsqlDbType.Text), ("first_seen", NpgsqlDbType.Bigint)]),
        new("blog_state", "key", [("key", NpgsqlDbType.Text), ("value", NpgsqlDbType.Text)]),
        // WebSub pings the hubs have not taken yet: the copy sends them.
        new("hub_pings", "hub, feed", [("hub", NpgsqlDbType.Text), ("feed", NpgsqlDbType.Text), ("changed_at", NpgsqlDbType.Bigint), ("lease_until", NpgsqlDbType.Bigint)]),
        // What came back about the mail, and the reports already acted on: without them a report read again would count twice.
        new("subscriber_events", "id", [("id", NpgsqlDbType.Bigint), ("subscriber_id", NpgsqlDbType.Bigint), ("kind", NpgsqlDbType.Text), ("source", NpgsqlDbType.Text),
            ("at", NpgsqlDbType.Bigint), ("run_key", NpgsqlDbType.Text), ("diagnostic", NpgsqlDbType.Text), ("event_key", NpgsqlDbType.Text)]),
        new("feedback_reports", "key", [("key", NpgsqlDbType.Text), ("outcome", NpgsqlDbType.Text), ("at", NpgsqlDbType.Bigint)]),
        // Addresses erased after a complaint, as keyed hashes: the copy must keep them off the list too.
        new("suppressions", "address_hash", [("address_hash", NpgsqlDbType.Text), ("reason", NpgsqlDbType.Text), ("at", NpgsqlDbType.Bigint)]),
        // The console's owners (with their ids, which their passkeys name), the setup link, lockouts in force, and the
        // cookie keys, so every session carries on after the move.
        new("admin_users", "id", [("id", NpgsqlDbType.Bigint), ("name", NpgsqlDbType.Text), ("password_hash", NpgsqlDbType.Text),
            ("require_passkey", NpgsqlDbType.Bigint), ("user_handle", NpgsqlDbType.Bytea), ("security_stamp", NpgsqlDbType.Text),
            ("failed_signins", NpgsqlDbType.Bigint), ("locked_until", NpgsqlDbType.Bigint), ("created_at", NpgsqlDbType.Bigint)]),
        new("admin_setup", "token_hash", [("token_hash", NpgsqlDbType.Text), ("expires_at", NpgsqlDbType.Bigint), ("used_at", NpgsqlDbType.Bigint)]),
        new("admin_client_failures", "client", [("client", NpgsqlDbType.Text), ("failures", NpgsqlDbType.Bigint), ("first_at", NpgsqlDbType.Bigint),
            ("locked_until", NpgsqlDbType.Bigint)]),
        new("admin_keys", "name", [("name", NpgsqlDbType.Text), ("xml", NpgsqlDbType.Text)]),
        // The list's size day by day: the days before a move could no longer be told apart once statuses change.
        new("subscriber_daily", "day", [("day", NpgsqlDbType.Bigint), ("pending", NpgsqlDbType.Bigint), ("active", NpgsqlDbType.Bigint),
            ("unsubscribed", NpgsqlDbType.Bigint), ("bounced", NpgsqlDbType.Bigint), ("complained", NpgsqlDbType.Bigint), ("signups", NpgsqlDbType.Bigint),
            ("unsubscribes", NpgsqlDbType.Bigint), ("taken_at", NpgsqlDbType.Bigint)]),
        // Feed readership: aggregators' counts, today's marks (today's salt is in blog_state) and past days' readers.
        new("feed_aggregators", "day, feed, aggregator", [("day", NpgsqlDbType.Bigint), ("feed", NpgsqlDbType.Text), ("aggregator", NpgsqlDbType.Text),
            ("subscribers", NpgsqlDbType.Bigint), ("seen_at", NpgsqlDbType.Bigint)]),
        new("feed_reader_marks", "day, feed, reader", [("day", NpgsqlDbType.Bigint), ("feed", NpgsqlDbType.Text), ("reader", NpgsqlDbType.Text)]),
        new("feed_readers", "day, feed", [("day", NpgsqlDbType.Bigint), ("feed", NpgsqlDbType.Text), ("readers", NpgsqlDbType.Bigint)]),
    ];

    /// <returns>The rows copied, table by table.</returns>
    /// <exception cref="StorageException">The target is not empty, or the counts disagree (nothing is kept then).</exception>
    public async Task<IReadOnlyList<(string Table, long Rows)>> CopyAsync(IProgress<string>? progress, CancellationToken cancellationToken)
    {
        await using var from = await source.OpenAsync(cancellationToken);
        await using var to = (NpgsqlConnection)await target.OpenAsync(cancellationToken);
        foreach (var table in Tables)
        {
            var already = await CountAsync(to, table.Name, cancellationToken);
            if (already > 0)
                throw new StorageException($"the {target.Name} is not empty: {table.Name} has {already.ToString(CultureInfo.InvariantCulture)} rows. " +
                    "Migrate into a new, empty database.");
        }
        await using var transaction = await to.BeginTransactionAsync(cancellationToken);
        var copied = new List<(string, long)>();
        foreach (var table in Tables)
        {
            var rows = await CopyTableAsync(from, to, table, progress, cancellationToken);
            var expected = await CountAsync(from, table.Name, cancellationToken);
            var landed = await CountAsync(to, table.Name, cancellationToken);
            if (rows != expected || landed != expected)
                throw new StorageException($"{table.Name}: {source.Name} has {expected} rows but {landed} arrived; nothing was kept.");
            copied.Add((table.Name, rows));
        }
        // Identity columns carry on after every id SQLite ever handed out, not only the ones still there: an erased
        // subscriber's id given to someone new would let the links mailed to the first act on the second.
        foreach (var (table, used) in new[] { ("subscribers", "UNION ALL SELECT MAX(id) FROM subscriber_merges"), ("mail_outbox", ""), ("subscriber_events", ""), ("admin_users", "") })
        {
            var handedOut = await HandedOutAsync(from, table, cancellationToken);
            await using var sequence = new NpgsqlCommand(
                $"SELECT setval(pg_get_serial_sequence('{table}', 'id'), " +
                $"COALESCE((SELECT MAX(m) FROM (SELECT MAX(id) AS m FROM {table} {used} UNION ALL SELECT @handedOut) ids), 0) + 1, false)", to, transaction);
            sequence.Parameters.AddWithValue("handedOut", NpgsqlDbType.Bigint, handedOut);
            await sequence.ExecuteNonQueryAsync(cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
        return copied;
    }

    private static async Task<long> CopyTableAsync(DbConnection from, NpgsqlConnection to, Table table, IProgress<string>? progress, CancellationToken cancellationToken)
    {
        var columns = string.Join(", ", table.Columns.Select(c => c.Column));
        await using var read = from.Command($"SELECT {columns} FROM {table.Name} ORDER BY {table.Order}");
        await using var reader = await read.ExecuteReaderAsync(cancellationToken);
        await using var writer = await to.BeginBinaryImportAsync($"COPY {table.Name} ({columns}) FROM STDIN (FORMAT BINARY)", cancellationToken);
        long rows = 0;
        while (await reader.ReadAsync(cancellationToken))
        {
            await writer.StartRowAsync(cancellationToken);
            for (var i = 0; i < table.Columns.Length; i++)
            {
                var (column, type) = table.Columns[i];
                if (reader.IsDBNull(i) || column == "lease_until") await writer.WriteNullAsync(cancellationToken);
                else if (type == NpgsqlDbType.Bigint) await writer.WriteAsync(reader.GetInt64(i), type, cancellationToken);
                else if (type == NpgsqlDbType.Integer) await writer.WriteAsync(reader.GetInt32(i), type, cancellationToken);
                else if (type == NpgsqlDbType.Bytea) await writer.WriteAsync((byte[])reader.GetValue(i), type, cancellationToken);
                else await writer.WriteAsync(reader.GetString(i), type, cancellationToken);
            }
            if (++rows % 10_000 == 0) progress?.Report(string.Create(CultureInfo.InvariantCulture, $"copying {table.Name}: {rows}"));
        }
        await writer.CompleteAsync(cancellationToken);
        return rows;
    }

    /// <summary>The highest id SQLite ever gave a row of <paramref name="table"/> (its AUTOINCREMENT high-water mark), 0 when none.</summary>
    private async Task<long> HandedOutAsync(DbConnection from, string table, CancellationToken cancellationToken)
    {
        if (source.Dialect != SqlDialect.Sqlite) return 0;
        await using var read = from.Command("SELECT seq FROM sqlite_sequence WHERE name = @table", null, ("@table", table));
        return await read.ExecuteScalarAsync(cancellationToken) is { } seq and not DBNull ? Convert.ToInt64(seq, CultureInfo.InvariantCulture) : 0;
    }

    private static async Task<long> CountAsync(DbConnection connection, string table, CancellationToken cancellationToken)
    {
        await using var count = connection.Command($"SELECT COUNT(*) FROM {table}");
        return Convert.ToInt64(await count.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
    }
}

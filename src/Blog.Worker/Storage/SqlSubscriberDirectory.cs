using System.Data.Common;
using System.Globalization;
using Blog.MailingList;
using static Blog.Storage.SqlValues;

namespace Blog.Storage;

/// <summary>
/// The owner's search of the list, in SQLite or PostgreSQL, by keyset pages on id.
/// <para>
/// Status and cadence are seeks on the indexes schema 8 adds ((status, id), (cadence, id), (status, cadence, id)), so
/// a page reads about as many rows as it shows. A fragment of the address or a tag is a substring match no b-tree
/// answers, so those pages first fix a window, the next <see cref="SubscriberSearch.ScanLimit"/> rows the indexed
/// conditions let through (read from the index alone), and match inside it only: a page never examines more than
/// that, however rare the fragment, and when the window ends before the page is full the page says how far it got
/// and the next one goes on from there.
/// </para>
/// </summary>
public sealed class SqlSubscriberDirectory(Database database) : ISubscriberDirectory
{
    private const string MergedInto = "SELECT into_id FROM subscriber_merges WHERE id = @id";

    public async Task<SubscriberPage> SearchAsync(SubscriberSearch search, CancellationToken cancellationToken)
    {
        var backward = search.Before is not null;
        var key = backward ? search.Before!.Value : search.After ?? 0;
        var direction = backward ? "DESC" : "ASC";
        var indexed = new List<string> { backward ? "id < @key" : "id > @key" };
        var parameters = new List<(string, object?)> { ("@key", key) };
        if (search.Status is { } status)
        {
            indexed.Add("status = @status");
            parameters.Add(("@status", Status(status)));
        }
        if (!string.IsNullOrEmpty(search.Cadence))
        {
            indexed.Add("cadence = @cadence");
            parameters.Add(("@cadence", Bounded(search.Cadence)));
        }
        var matched = new List<string>();
        if (!string.IsNullOrEmpty(search.Fragment))
        {
            matched.Add("address_key LIKE @fragment ESCAPE '\\'");
            parameters.Add(("@fragment", "%" + EscapeLike(EmailAddress.KeyOf(Bounded(search.Fragment))) + "%"));
        }
        if (!string.IsNullOrEmpty(search.Tag))
        {
            // Tags are stored space-separated (SqlValues.Tags); padded with spaces, a whole key is " key ".
            matched.Add("(' ' || tags || ' ') LIKE @tag ESCAPE '\\'");
            parameters.Add(("@tag", "% " + EscapeLike(Bounded(search.Tag)) + " %"));
        }

        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await ShortReadAsync(database, connection, cancellationToken);
        long? edge = null;
        var windowFull = false;
        if (matched.Count > 0)
        {
            await using var window = connection.Command(
                $"SELECT COUNT(*), MIN(id), MAX(id) FROM (SELECT id FROM subscribers WHERE {string.Join(" AND ", indexed)} " +
                $"ORDER BY id {direction} LIMIT {SubscriberSearch.ScanLimit}) w", transaction, [.. parameters]);
            await using var reader = await window.ExecuteReaderAsync(cancellationToken);
            await reader.ReadAsync(cancellationToken);
            var examined = Count(reader, 0);
            if (examined == 0) return Page(search, key, [], more: false, edge: null, windowFull: false);
            edge = backward ? reader.GetInt64(1) : reader.GetInt64(2);
            windowFull = examined == SubscriberSearch.ScanLimit;
            matched.Add(backward ? "id >= @edge" : "id <= @edge");
            parameters.Add(("@edge", edge.Value));
        }

        var subscribers = new List<Subscriber>(SubscriberSearch.PageSize + 1);
        await using (var command = connection.Command(
            $"SELECT {SubscriberColumns} FROM subscribers WHERE {string.Join(" AND ", indexed.Concat(matched))} " +
            $"ORDER BY id {direction} LIMIT {SubscriberSearch.PageSize + 1}", transaction, [.. parameters]))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
            while (await reader.ReadAsync(cancellationToken)) subscribers.Add(Subscriber(reader));
        var more = subscribers.Count > SubscriberSearch.PageSize;
        if (more) subscribers.RemoveAt(subscribers.Count - 1);
        if (backward) subscribers.Reverse();

        var latest = await LatestEventsAsync(connection, transaction, subscribers, cancellationToken);
        if (transaction is not null) await transaction.CommitAsync(cancellationToken);
        var rows = subscribers.Select(s => latest.TryGetValue(s.Id, out var e) ? new SubscriberRow(s, e.Kind, e.At) : new SubscriberRow(s, null, null)).ToList();
        return Page(search, key, rows, more, edge, windowFull);
    }

    public async Task<IReadOnlyList<SubscriberDelivery>> DeliveriesAsync(long subscriberId, string? beforeRun, int max, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(max);
        // Read through deliveries_subscriber (every delivery of one person: one per run), newest run first.
        var before = beforeRun is null ? "" :
            " AND (r.created_at < (SELECT b.created_at FROM digest_runs b WHERE b.key = @before)" +
            " OR (r.created_at = (SELECT b.created_at FROM digest_runs b WHERE b.key = @before) AND r.key < @before))";
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.Command(
            "SELECT d.run_key, r.cadence, d.status, d.message_id, COALESCE(d.settled_at, d.next_attempt_at), d.attempts, d.last_error " +
            "FROM deliveries d JOIN digest_runs r ON r.key = d.run_key " +
            $"WHERE d.subscriber_id = COALESCE(({MergedInto}), @id){before} ORDER BY r.created_at DESC, r.key DESC LIMIT @max",
            null, [("@id", subscriberId), ("@max", max), .. beforeRun is null ? Array.Empty<(string, object?)>() : [("@before", beforeRun)]]);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var deliveries = new List<SubscriberDelivery>();
        while (await reader.ReadAsync(cancellationToken))
        {
            deliveries.Add(new SubscriberDelivery(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3),
                DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(4)), Count(reader, 5), reader.IsDBNull(6) ? null : reader.GetString(6)));
        }
        return deliveries;
    }

    private static SubscriberPage Page(SubscriberSearch search, long key, List<SubscriberRow> rows, bool more, long? edge, bool windowFull)
    {
        // Where the window stopped a page short, the page says so and the next goes on from its edge.
        long? stopped = !more && windowFull ? edge : null;
        if (search.Before is null)
        {
            long? next = more ? rows[^1].Subscriber.Id : stopped;
            long? previous = key > 0 ? (rows.Count > 0 ? rows[0].Subscriber.Id : key + 1) : null;
            return new SubscriberPage(rows, next, previous, stopped);
        }
        long? back = more ? rows[0].Subscriber.Id : stopped;
        return new SubscriberPage(rows, rows.Count > 0 ? rows[^1].Subscriber.Id : key - 1, back, stopped);
    }

    /// <summary>Each listed subscriber's newest event, by the index on (subscriber_id, at, id): a seek per row shown.</summary>
    private static async Task<Dictionary<long, (string Kind, DateTimeOffset At)>> LatestEventsAsync(DbConnection connection, DbTransaction? transaction,
        List<Subscriber> subscribers, CancellationToken cancellationToken)
    {
        var latest = new Dictionary<long, (string, DateTimeOffset)>();
        if (subscribers.Count == 0) return latest;
        var names = subscribers.Select((_, i) => "@s" + i.ToString(CultureInfo.InvariantCulture)).ToList();
        await using var command = connection.Command(
            $"""
            SELECT e.subscriber_id, e.kind, e.at FROM subscriber_events e
            WHERE e.subscriber_id IN ({string.Join(", ", names)})
              AND e.id = (SELECT l.id FROM subscriber_events l WHERE l.subscriber_id = e.subscriber_id ORDER BY l.at DESC, l.id DESC LIMIT 1)
            """, transaction, [.. subscribers.Select((s, i) => (names[i], (object?)s.Id))]);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
            latest[reader.GetInt64(0)] = (reader.GetString(1), DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(2)));
        return latest;
    }

    /// <summary>
    /// On PostgreSQL, the transaction a page's statements run in, with parallel plans off for it alone (SET LOCAL ends
    /// with it, so the pooled connection goes back as it came and no other query is touched). At a million subscribers
    /// the planner chose a parallel index scan for the keyset page: starting its workers cost 27-49 ms for 0.2 ms of
    /// reading (p95 265 ms; 26.5 ms without). A page reads about as many rows as it shows, or at most a
    /// <see cref="SubscriberSearch.ScanLimit"/> window, which a worker never pays for. Null on SQLite, which has no
    /// parallel plans.
    /// </summary>
    internal static async Task<DbTransaction?> ShortReadAsync(Database database, DbConnection connection, CancellationToken cancellationToken)
    {
        if (database.Dialect != SqlDialect.Postgres) return null;
        var transaction = await connection.BeginTransactionAsync(cancellationToken);
        try
        {
            await using var serial = connection.Command("SET LOCAL max_parallel_workers_per_gather = 0", transaction);
            await serial.ExecuteNonQueryAsync(cancellationToken);
            return transaction;
        }
        catch
        {
            await transaction.DisposeAsync();
            throw;
        }
    }

    private static string Bounded(string term) =>
        term.Length <= SubscriberSearch.MaxTermLength ? term
            : throw new ArgumentOutOfRangeException(nameof(term), $"a search term is at most {SubscriberSearch.MaxTermLength} characters");

    /// <summary>The text matched literally by LIKE … ESCAPE '\': its wildcards and the escape itself escaped.</summary>
    internal static string EscapeLike(string text) => text.Replace("\\", "\\\\", StringComparison.Ordinal)
        .Replace("%", "\\%", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal);
}

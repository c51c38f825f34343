using Blog.Digests;
using static Blog.Storage.SqlValues;

namespace Blog.Storage;

/// <summary>The console's reads of past runs and the posts they carried, in SQLite or PostgreSQL.</summary>
public sealed class SqlRunHistory(Database database) : IRunHistory
{
    public async Task<RunHeader?> FindAsync(string runKey, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.Command("SELECT key, cadence, created_at, planned_at FROM digest_runs WHERE key = @key", null, ("@key", runKey));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken)) return null;
        return new RunHeader(reader.GetString(0), reader.GetString(1), DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(2)), Time(reader, 3));
    }

    public async Task<IReadOnlyList<FailedDelivery>> FailedAsync(string runKey, long afterSubscriberId, int max, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        // Along the primary key (run_key, subscriber_id): each page starts where the last ended.
        await using var command = connection.Command(
            """
            SELECT d.subscriber_id, s.address, d.attempts, d.last_error, d.settled_at
            FROM deliveries d JOIN subscribers s ON s.id = d.subscriber_id
            WHERE d.run_key = @run AND d.status = 'failed' AND d.subscriber_id > @after
            ORDER BY d.subscriber_id LIMIT @max
            """, null, ("@run", runKey), ("@after", afterSubscriberId), ("@max", max));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var failed = new List<FailedDelivery>();
        while (await reader.ReadAsync(cancellationToken))
            failed.Add(new FailedDelivery(reader.GetInt64(0), reader.GetString(1), Count(reader, 2), reader.IsDBNull(3) ? null : reader.GetString(3), Time(reader, 4)));
        return failed;
    }

    public async Task<IReadOnlyDictionary<string, DateTimeOffset>> FirstSeenAsync(CancellationToken cancellationToken)
    {
        // One row per post ever published: the catalogue's size, which the console holds in memory anyway.
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.Command("SELECT post_id, first_seen FROM posts_seen");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var seen = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
        while (await reader.ReadAsync(cancellationToken)) seen[reader.GetString(0)] = DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(1));
        return seen;
    }

    public async Task<IReadOnlyList<string>> CarriedByAsync(string postId, DateTimeOffset since, int maxRuns, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var candidates = new List<string>();
        await using (var runs = connection.Command("SELECT key FROM digest_runs WHERE created_at >= @since ORDER BY created_at, key LIMIT @max", null,
            ("@since", Time(since)), ("@max", maxRuns)))
        await using (var reader = await runs.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken)) candidates.Add(reader.GetString(0));
        }
        // A delivery's posts are its post ids, one a line. LIKE finds a candidate line (SQLite's LIKE ignores ASCII
        // case), and the exact id is checked here: one query shape for both databases.
        var carried = new List<string>();
        await using var find = connection.Command(
            "SELECT d.posts FROM deliveries d WHERE d.run_key = @run AND d.status = 'sent' AND (@nl || d.posts || @nl) LIKE @pattern ESCAPE '\\' LIMIT 1",
            null, ("@run", ""), ("@nl", "\n"), ("@pattern", "%\n" + EscapeLike(postId) + "\n%"));
        foreach (var run in candidates)
        {
            find.Set("@run", run);
            if (await find.ExecuteScalarAsync(cancellationToken) is string posts && posts.Split('\n').Contains(postId, StringComparer.Ordinal)) carried.Add(run);
        }
        return carried;
    }

    private static string EscapeLike(string text) => text.Replace("\\", "\\\\", StringComparison.Ordinal)
        .Replace("%", "\\%", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal);
}

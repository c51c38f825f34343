using System.Collections.Concurrent;
using Blog.Digests;
using Blog.Posts;
using static Blog.Storage.SqlValues;

namespace Blog.Storage;

/// <summary>The publication log, in SQLite or PostgreSQL (<c>posts_seen</c>).</summary>
public sealed class SqlPublicationLog(Database database) : IPublicationLog
{
    /// <summary>Set in <c>blog_state</c> once the posts published when the log began were taken at their own dates.</summary>
    private const string StartedKey = "posts_seen.started";

    // Rows are written once, so what was read stays true: most calls find every id here and touch no database.
    private readonly ConcurrentDictionary<string, DateTimeOffset> known = new(StringComparer.Ordinal);

    public async Task<IReadOnlyDictionary<string, DateTimeOffset>> ObserveAsync(IReadOnlyCollection<Post> published, DateTimeOffset now, TimeSpan coolOff,
        CancellationToken cancellationToken)
    {
        var keys = published.ToDictionary(PublicPost.LogKey, StringComparer.Ordinal);
        // Pulled back within the cool-off: no digest has carried it, and none may carry it under its first time.
        var withdrawn = known.Where(k => k.Value > now - coolOff && !keys.ContainsKey(k.Key)).Select(k => k.Key).ToList();
        if (withdrawn.Count > 0) await ForgetAsync(withdrawn, now - coolOff, cancellationToken);
        if (keys.Keys.Any(k => !known.ContainsKey(k))) await RecordAsync(keys, now, cancellationToken);
        var since = new Dictionary<string, DateTimeOffset>(published.Count, StringComparer.Ordinal);
        foreach (var (key, post) in keys)
            if (known.TryGetValue(key, out var seen)) since[post.Id] = seen;
        return since;
    }

    private async Task ForgetAsync(List<string> keys, DateTimeOffset after, CancellationToken cancellationToken)
    {
        using var turn = await database.WriterAsync(cancellationToken, crashSafeOnly: true);
        await using var forget = turn.Connection.Command("DELETE FROM posts_seen WHERE post_id = @id AND first_seen > @after", null, ("@id", ""), ("@after", Time(after)));
        foreach (var key in keys)
        {
            forget.Set("@id", key);
            await forget.ExecuteNonQueryAsync(cancellationToken);
            known.TryRemove(key, out _);
        }
    }

    private async Task RecordAsync(Dictionary<string, Post> published, DateTimeOffset now, CancellationToken cancellationToken)
    {
        using var turn = await database.WriterAsync(cancellationToken, crashSafeOnly: true);
        var connection = turn.Connection;
        // Guarded: nodes seeing a new post at once write one row, and only one of them starts the log.
        await using var transaction = await database.BeginGuardedAsync(connection, StartedKey, cancellationToken);
        await using (var started = connection.Command("SELECT value FROM blog_state WHERE key = @key", transaction, ("@key", StartedKey)))
        {
            var first = await started.ExecuteScalarAsync(cancellationToken) is null;
            await using var insert = connection.Command("INSERT INTO posts_seen (post_id, first_seen) VALUES (@id, @seen) ON CONFLICT DO NOTHING",
                transaction, ("@id", ""), ("@seen", 0L));
            foreach (var (key, post) in published)
            {
                if (known.ContainsKey(key)) continue;
                insert.Set("@id", key);
                // A future-dated post seen public now is new now; its own date is never later than that.
                insert.Set("@seen", Time(first ? post.Published : now));
                await insert.ExecuteNonQueryAsync(cancellationToken);
            }
            if (first)
            {
                await using var mark = connection.Command("INSERT INTO blog_state (key, value) VALUES (@key, @value) ON CONFLICT DO NOTHING",
                    transaction, ("@key", StartedKey), ("@value", Time(now).ToString(System.Globalization.CultureInfo.InvariantCulture)));
                await mark.ExecuteNonQueryAsync(cancellationToken);
            }
        }
        // Read back, not assumed: another node may have written a row first, and its time is the one that counts.
        var rows = new List<(string, DateTimeOffset)>();
        await using (var read = connection.Command("SELECT post_id, first_seen FROM posts_seen", transaction))
        await using (var reader = await read.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken)) rows.Add((reader.GetString(0), DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(1))));
        }
        await transaction.CommitAsync(cancellationToken);
        foreach (var (id, seen) in rows) known[id] = seen;
    }
}

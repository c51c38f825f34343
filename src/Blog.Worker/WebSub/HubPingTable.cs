using Blog.Storage;
using static Blog.Storage.SqlValues;

namespace Blog.WebSub;

/// <summary>
/// The pings not yet taken by their hub (<c>hub_pings</c>), in SQLite or PostgreSQL: a change announced by nobody
/// before a stop is announced after the start, and in a cluster by one node. A claim leases rows, as the mail outbox
/// does: one UPDATE ... RETURNING, whose inner SELECT skips rows another node is claiming.
/// </summary>
public sealed class HubPingTable(Database database)
{
    /// <summary>Records that these feeds changed; a row already there is the same ping, now for the newer change.</summary>
    public async Task RecordAsync(IReadOnlyCollection<(Uri Hub, Uri Feed)> pings, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (pings.Count == 0) return;
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using var insert = connection.Command(
            "INSERT INTO hub_pings (hub, feed, changed_at) VALUES (@hub, @feed, @now) " +
            "ON CONFLICT (hub, feed) DO UPDATE SET changed_at = excluded.changed_at",
            transaction, ("@hub", ""), ("@feed", ""), ("@now", Time(now)));
        foreach (var (hub, feed) in pings)
        {
            insert.Set("@hub", hub.AbsoluteUri);
            insert.Set("@feed", feed.AbsoluteUri);
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>Up to <paramref name="max"/> pings nobody holds, oldest change first, each held until <paramref name="now"/> + <paramref name="lease"/>.</summary>
    public async Task<IReadOnlyList<HubPing>> ClaimAsync(DateTimeOffset now, TimeSpan lease, int max, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var claim = connection.Command(
            $"""
            UPDATE hub_pings SET lease_until = @until
            WHERE (hub, feed) IN (SELECT p.hub, p.feed FROM hub_pings p
                                  WHERE p.lease_until IS NULL OR p.lease_until <= @now
                                  ORDER BY p.changed_at LIMIT @max {database.Dialect.SkipLocked("p")})
            RETURNING hub, feed, changed_at
            """,
            null, ("@until", Time(now + lease)), ("@now", Time(now)), ("@max", max));
        var pings = new List<HubPing>();
        await using var reader = await claim.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
            pings.Add(new HubPing(new Uri(reader.GetString(0)), new Uri(reader.GetString(1)), reader.GetInt64(2)));
        pings.Sort((a, b) => a.ChangedAt.CompareTo(b.ChangedAt));
        return pings;
    }

    /// <summary>
    /// The ping is settled (taken, or given up). A change recorded while it was in flight keeps its row, released so
    /// it is sent again: the hub may have fetched the feed before that change.
    /// </summary>
    public Task SettleAsync(HubPing ping, CancellationToken cancellationToken) =>
        ExecuteAsync(
            "DELETE FROM hub_pings WHERE hub = @hub AND feed = @feed AND changed_at = @changed; " +
            "UPDATE hub_pings SET lease_until = NULL WHERE hub = @hub AND feed = @feed;",
            ping, cancellationToken);

    /// <summary>Gives the ping back unsent, for this node's next start or another node.</summary>
    public Task ReleaseAsync(HubPing ping, CancellationToken cancellationToken) =>
        ExecuteAsync("UPDATE hub_pings SET lease_until = NULL WHERE hub = @hub AND feed = @feed", ping, cancellationToken);

    private async Task ExecuteAsync(string sql, HubPing ping, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.Command(sql, null,
            ("@hub", ping.Hub.AbsoluteUri), ("@feed", ping.Feed.AbsoluteUri), ("@changed", ping.ChangedAt));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}

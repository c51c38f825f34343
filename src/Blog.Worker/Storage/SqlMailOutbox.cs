using Blog.Mail;
using System.Data.Common;
using static Blog.Storage.SqlValues;

namespace Blog.Storage;

/// <summary>
/// The outbox table. Every settle matches the lease it was claimed under (<c>lease_until = @until</c>), as the digest
/// ledger does: a sender whose lease ran out changes nothing once another has claimed the item.
/// A claim is one UPDATE ... RETURNING: atomic in SQLite, which has one writer; in PostgreSQL its inner SELECT skips rows another node holds.</summary>
public sealed class SqlMailOutbox(Database database) : IMailOutbox
{
    public async Task<IReadOnlyList<OutboxItem>> ClaimAsync(DateTimeOffset now, TimeSpan lease, int max, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.Command(
            $"""
            UPDATE mail_outbox SET lease_until = @until
            WHERE id IN (SELECT id FROM mail_outbox o
                         WHERE status = 'pending' AND next_attempt_at <= @now AND (lease_until IS NULL OR lease_until <= @now)
                         ORDER BY next_attempt_at, id LIMIT @max {database.Dialect.SkipLocked("o")})
            RETURNING id, recipient, message_id, mime, attempts, subscriber_id
            """,
            null, ("@until", Time(now + lease)), ("@now", Time(now)), ("@max", max));
        var items = new List<OutboxItem>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
            items.Add(new OutboxItem(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), (byte[])reader.GetValue(3), Count(reader, 4))
            {
                LeaseUntil = now + lease,
                SubscriberId = reader.IsDBNull(5) ? null : reader.GetInt64(5),
            });
        items.Sort((a, b) => a.Id.CompareTo(b.Id));
        return items;
    }

    public Task CompleteAsync(OutboxItem claim, CancellationToken cancellationToken) =>
        ExecuteAsync("DELETE FROM mail_outbox WHERE id = @id AND lease_until = @until",
            cancellationToken, ("@id", claim.Id), ("@until", Time(claim.LeaseUntil)));

    public Task RetryAsync(OutboxItem claim, DateTimeOffset at, string reason, CancellationToken cancellationToken) =>
        ExecuteAsync("UPDATE mail_outbox SET attempts = attempts + 1, next_attempt_at = @at, lease_until = NULL, last_error = @error WHERE id = @id AND lease_until = @until",
            cancellationToken, ("@id", claim.Id), ("@until", Time(claim.LeaseUntil)), ("@at", Time(at)), ("@error", reason));

    public async Task ReleaseAsync(IEnumerable<OutboxItem> claims, CancellationToken cancellationToken)
    {
        foreach (var claim in claims)
            await ExecuteAsync("UPDATE mail_outbox SET lease_until = NULL WHERE id = @id AND lease_until = @until", cancellationToken,
                ("@id", claim.Id), ("@until", Time(claim.LeaseUntil)));
    }

    public Task FailAsync(OutboxItem claim, string reason, CancellationToken cancellationToken) =>
        ExecuteAsync("UPDATE mail_outbox SET status = 'failed', attempts = attempts + 1, lease_until = NULL, last_error = @error WHERE id = @id AND lease_until = @until",
            cancellationToken, ("@id", claim.Id), ("@until", Time(claim.LeaseUntil)), ("@error", reason));

    public async Task<OutboxCounts> CountAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.Command(
            "SELECT COUNT(*) FILTER (WHERE status = 'pending'), COUNT(*) FILTER (WHERE status = 'failed') FROM mail_outbox");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return new OutboxCounts(Count(reader, 0), Count(reader, 1));
    }

    /// <summary>Queues a mail inside a caller's transaction, so it is stored with the change that caused it or not at all.</summary>
    internal static async Task InsertAsync(DbConnection connection, DbTransaction transaction, QueuedMail mail, long? subscriberId,
        DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var insert = connection.Command(
            "INSERT INTO mail_outbox (subscriber_id, recipient, message_id, purpose, mime, next_attempt_at, created_at) " +
            "VALUES (@subscriber, @recipient, @messageId, @purpose, @mime, @now, @now)",
            transaction, ("@subscriber", subscriberId), ("@recipient", mail.Recipient), ("@messageId", mail.MessageId),
            ("@purpose", mail.Purpose), ("@mime", mail.Mime), ("@now", Time(now)));
        await insert.ExecuteNonQueryAsync(cancellationToken);
    }

    private async Task ExecuteAsync(string sql, CancellationToken cancellationToken, params (string, object?)[] parameters)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.Command(sql, null, parameters);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}

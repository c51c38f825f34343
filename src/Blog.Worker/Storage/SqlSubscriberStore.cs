using System.Buffers.Text;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using Blog.Mail;
using Blog.MailingList;
using System.Data.Common;
using static Blog.Storage.SqlValues;

namespace Blog.Storage;

/// <summary>
/// The subscriber list, in SQLite or PostgreSQL. Each change is one transaction, its queued mail included.
/// <para>
/// An address erased (<see cref="ForgetAsync"/>) after a spam complaint leaves a suppression: HMAC-SHA256 of its
/// address key under a random key kept in the database (<c>blog_state</c>), never the address. Imports skip it; the
/// person's own sign-up, once confirmed, lifts it.
/// </para>
/// </summary>
public sealed class SqlSubscriberStore(Database database, TimeProvider? time = null) : ISubscriberStore
{
    private const string SuppressionKeyName = "suppression_key";

    private const int PageSize = 500;
    private const int LinkKeyBytes = 16;

    // An id merged into another (case duplicates, schema version 4) still names the person in the links mailed with it.
    private const string MergedInto = "SELECT into_id FROM subscriber_merges WHERE id = @key";
    private const string ById = $"id = COALESCE(({MergedInto}), @key)";

    public async Task<Subscriber?> FindAsync(long id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await FindAsync(connection, null, ById, id, cancellationToken);
    }

    public async Task<Subscriber?> FindAsync(EmailAddress address, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await FindAsync(connection, null, "address_key = @key", address.Key, cancellationToken);
    }

    public async Task<SignUpResult> SignUpAsync(SubscriberDraft draft, DateTimeOffset now, TimeSpan resendAfter,
        Func<Subscriber, QueuedMail> confirmation, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        // Guarded on the address, so two sign-ups for one address cannot both see "new".
        await using var transaction = await database.BeginGuardedAsync(connection, draft.Address.Key, cancellationToken);
        var existing = await FindAsync(connection, transaction, "address_key = @key", draft.Address.Key, cancellationToken);
        Subscriber subscriber;
        if (existing is null)
        {
            subscriber = await InsertAsync(connection, transaction, draft with { Status = SubscriberStatus.Pending }, now, now, cancellationToken);
        }
        else if (existing.Status == SubscriberStatus.Active)
        {
            return new SignUpResult(existing, false);
        }
        else
        {
            var due = existing.Status != SubscriberStatus.Pending || existing.ConfirmationSentAt is not { } sent || now - sent >= resendAfter;
            await using (var update = connection.Command(
                "UPDATE subscribers SET status = 'pending', tags = @tags, cadence = @cadence, confirmation_sent_at = CASE WHEN @due THEN @now ELSE confirmation_sent_at END WHERE id = @id",
                transaction, ("@tags", Tags(draft.Tags)), ("@cadence", draft.Cadence), ("@due", due), ("@now", Time(now)), ("@id", existing.Id)))
                await update.ExecuteNonQueryAsync(cancellationToken);
            subscriber = (await FindAsync(connection, transaction, "id = @key", existing.Id, cancellationToken))!;
            if (!due)
            {
                await transaction.CommitAsync(cancellationToken);
                return new SignUpResult(subscriber, false);
            }
        }
        await SqlMailOutbox.InsertAsync(connection, transaction, confirmation(subscriber), subscriber.Id, now, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new SignUpResult(subscriber, true);
    }

    public async Task<ImportResult> ImportAsync(IReadOnlyList<SubscriberDraft> drafts, DateTimeOffset now, Func<Subscriber, QueuedMail>? confirmation,
        IProgress<int>? progress, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await database.BeginGuardedAsync(connection, null, cancellationToken);
        int added = 0, known = 0, queued = 0, suppressed = 0;
        await using var exists = connection.Command("SELECT 1 FROM subscribers WHERE address_key = @key", transaction, ("@key", ""));
        await using var kept = connection.Command("SELECT 1 FROM suppressions WHERE address_hash = @hash", transaction, ("@hash", ""));
        var suppressionKey = await SuppressionKeyAsync(connection, transaction, cancellationToken);
        for (var i = 0; i < drafts.Count; i++)
        {
            var draft = drafts[i];
            exists.Set("@key", draft.Address.Key);
            kept.Set("@hash", SuppressionHash(suppressionKey, draft.Address));
            if (await exists.ExecuteScalarAsync(cancellationToken) is not null)
            {
                known++;
            }
            else if (await kept.ExecuteScalarAsync(cancellationToken) is not null)
            {
                suppressed++;
            }
            else
            {
                var mail = confirmation is not null && draft.Status == SubscriberStatus.Pending;
                var subscriber = await InsertAsync(connection, transaction, draft, now, mail ? now : null, cancellationToken);
                added++;
                if (mail)
                {
                    await SqlMailOutbox.InsertAsync(connection, transaction, confirmation!(subscriber), subscriber.Id, now, cancellationToken);
                    queued++;
                }
            }
            if ((i + 1) % 100 == 0 || i + 1 == drafts.Count) progress?.Report(i + 1);
        }
        await transaction.CommitAsync(cancellationToken);
        return new ImportResult(added, known, queued) { Suppressed = suppressed };
    }

    /// <remarks>A confirmation is the person's own double opt-in: it lifts a suppression left by erasing them after a complaint.</remarks>
    public Task<Subscriber?> ConfirmAsync(long id, DateTimeOffset now, Func<Subscriber, QueuedMail>? welcome, CancellationToken cancellationToken) =>
        UpdateAsync(id, "UPDATE subscribers SET status = 'active', confirmed_at = @now WHERE id = @id AND status = 'pending'",
            async (subscriber, connection, transaction) =>
            {
                var key = await SuppressionKeyAsync(connection, transaction, cancellationToken);
                await using (var lift = connection.Command("DELETE FROM suppressions WHERE address_hash = @hash", transaction,
                    ("@hash", SuppressionHash(key, EmailAddress.Parse(subscriber.Address)))))
                    await lift.ExecuteNonQueryAsync(cancellationToken);
                if (welcome is not null) await SqlMailOutbox.InsertAsync(connection, transaction, welcome(subscriber), subscriber.Id, now, cancellationToken);
            },
            cancellationToken, ("@now", Time(now)));

    public Task<Subscriber?> UnsubscribeAsync(long id, DateTimeOffset now, CancellationToken cancellationToken) =>
        UpdateAsync(id, "UPDATE subscribers SET status = 'unsubscribed', unsubscribed_at = @now WHERE id = @id AND status NOT IN ('unsubscribed', 'complained')",
            cancellationToken, ("@now", Time(now)));

    public Task<Subscriber?> UpdatePreferencesAsync(long id, ImmutableArray<string> tags, string cadence, CancellationToken cancellationToken) =>
        UpdateAsync(id, "UPDATE subscribers SET tags = @tags, cadence = @cadence WHERE id = @id",
            cancellationToken, ("@tags", Tags(tags)), ("@cadence", cadence));

    public async Task<bool> ForgetAsync(EmailAddress address, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        // Erased after a complaint: what stays is a keyed hash, so no import can add them back unasked. A complaint since
        // their last confirmation counts whatever the status: anyone can make a complainer pending again with the form.
        await using (var complained = connection.Command(
            "SELECT 1 FROM subscribers s WHERE s.address_key = @key AND (s.status = 'complained' OR EXISTS (SELECT 1 FROM subscriber_events e " +
            "WHERE e.subscriber_id = s.id AND e.kind = 'complaint' AND (s.confirmed_at IS NULL OR e.at > s.confirmed_at)))", transaction, ("@key", address.Key)))
        {
            if (await complained.ExecuteScalarAsync(cancellationToken) is not null)
            {
                var key = await SuppressionKeyAsync(connection, transaction, cancellationToken);
                await using var suppress = connection.Command(
                    "INSERT INTO suppressions (address_hash, reason, at) VALUES (@hash, 'complained', @now) ON CONFLICT DO NOTHING",
                    transaction, ("@hash", SuppressionHash(key, address)), ("@now", Time((time ?? TimeProvider.System).GetUtcNow())));
                await suppress.ExecuteNonQueryAsync(cancellationToken);
            }
        }
        // Queued mail and delivery history go by the foreign keys' cascade; deleting them by name too keeps that true if a key is ever dropped.
        foreach (var table in new[] { "mail_outbox", "deliveries" })
        {
            await using var history = connection.Command($"DELETE FROM {table} WHERE subscriber_id = (SELECT id FROM subscribers WHERE address_key = @key)",
                transaction, ("@key", address.Key));
            await history.ExecuteNonQueryAsync(cancellationToken);
        }
        await using var delete = connection.Command("DELETE FROM subscribers WHERE address_key = @key", transaction, ("@key", address.Key));
        var removed = await delete.ExecuteNonQueryAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return removed > 0;
    }

    public async IAsyncEnumerable<Subscriber> ListAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var after = 0L;
        while (true)
        {
            var page = new List<Subscriber>(PageSize);
            // A short read per page: a slow consumer never holds the database open between pages.
            await using (var connection = await database.OpenAsync(cancellationToken))
            await using (var command = connection.Command($"SELECT {SubscriberColumns} FROM subscribers WHERE id > @after ORDER BY id LIMIT {PageSize}",
                null, ("@after", after)))
            await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
                while (await reader.ReadAsync(cancellationToken)) page.Add(Subscriber(reader));
            foreach (var subscriber in page) yield return subscriber;
            if (page.Count < PageSize) yield break;
            after = page[^1].Id;
        }
    }

    public async Task<SubscriberCounts> CountAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.Command("SELECT status, COUNT(*) FROM subscribers GROUP BY status");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var counts = new Dictionary<SubscriberStatus, int>();
        while (await reader.ReadAsync(cancellationToken)) counts[Status(reader.GetString(0))] = Count(reader, 1);
        return new SubscriberCounts(counts.GetValueOrDefault(SubscriberStatus.Pending), counts.GetValueOrDefault(SubscriberStatus.Active),
            counts.GetValueOrDefault(SubscriberStatus.Unsubscribed), counts.GetValueOrDefault(SubscriberStatus.Bounced), counts.GetValueOrDefault(SubscriberStatus.Complained));
    }

    private Task<Subscriber?> UpdateAsync(long id, string sql, CancellationToken cancellationToken, params (string, object?)[] parameters) =>
        UpdateAsync(id, sql, null, cancellationToken, parameters);

    /// <param name="changed">Run in the transaction when the update changed the row, with the subscriber as it now is: the mail a change queues.</param>
    private async Task<Subscriber?> UpdateAsync(long id, string sql, Func<Subscriber, DbConnection, DbTransaction, Task>? changed,
        CancellationToken cancellationToken, params (string, object?)[] parameters)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var merged = connection.Command(MergedInto, transaction, ("@key", id)))
            if (await merged.ExecuteScalarAsync(cancellationToken) is { } into and not DBNull) id = Convert.ToInt64(into, System.Globalization.CultureInfo.InvariantCulture);
        int rows;
        await using (var update = connection.Command(sql, transaction, [("@id", id), .. parameters]))
            rows = await update.ExecuteNonQueryAsync(cancellationToken);
        var subscriber = await FindAsync(connection, transaction, "id = @key", id, cancellationToken);
        if (rows > 0 && subscriber is not null && changed is not null) await changed(subscriber, connection, transaction);
        await transaction.CommitAsync(cancellationToken);
        return subscriber;
    }

    private static async Task<Subscriber> InsertAsync(DbConnection connection, DbTransaction transaction, SubscriberDraft draft,
        DateTimeOffset now, DateTimeOffset? confirmationSent, CancellationToken cancellationToken)
    {
        await using var insert = connection.Command(
            $"INSERT INTO subscribers (address, address_key, link_key, status, tags, cadence, created_at, confirmed_at, confirmation_sent_at, unsubscribed_at) " +
            $"VALUES (@address, @key, @link, @status, @tags, @cadence, @now, @confirmed, @sent, @left) RETURNING {SubscriberColumns}",
            transaction,
            ("@address", draft.Address.Value), ("@key", draft.Address.Key), ("@link", Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(LinkKeyBytes))),
            ("@status", Status(draft.Status)), ("@tags", Tags(draft.Tags)), ("@cadence", draft.Cadence),
            ("@now", Time(now)), ("@confirmed", draft.Status == SubscriberStatus.Active ? Time(now) : DBNull.Value),
            ("@sent", Time(confirmationSent)),
            ("@left", draft.Status is SubscriberStatus.Unsubscribed or SubscriberStatus.Bounced or SubscriberStatus.Complained ? Time(now) : DBNull.Value));
        await using var reader = await insert.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return Subscriber(reader);
    }

    /// <summary>The key suppressions are hashed under, made on first use: random, and kept with the data it protects (a migration copies it).</summary>
    private static async Task<byte[]> SuppressionKeyAsync(DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken)
    {
        await using (var make = connection.Command("INSERT INTO blog_state (key, value) VALUES (@name, @value) ON CONFLICT DO NOTHING", transaction,
            ("@name", SuppressionKeyName), ("@value", Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)))))
            await make.ExecuteNonQueryAsync(cancellationToken);
        await using var read = connection.Command("SELECT value FROM blog_state WHERE key = @name", transaction, ("@name", SuppressionKeyName));
        return Convert.FromBase64String((string)(await read.ExecuteScalarAsync(cancellationToken))!);
    }

    private static string SuppressionHash(byte[] key, EmailAddress address) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(key, System.Text.Encoding.UTF8.GetBytes(address.Key)));

    private static async Task<Subscriber?> FindAsync(DbConnection connection, DbTransaction? transaction, string where, object key,
        CancellationToken cancellationToken)
    {
        await using var command = connection.Command($"SELECT {SubscriberColumns} FROM subscribers WHERE {where}", transaction, ("@key", key));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? Subscriber(reader) : null;
    }
}

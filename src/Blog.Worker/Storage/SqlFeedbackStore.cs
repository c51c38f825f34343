using System.Data.Common;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;
using Blog.Feedback;
using Blog.MailingList;
using static Blog.Storage.SqlValues;

namespace Blog.Storage;

/// <summary>
/// Reports about our mail, in SQLite or PostgreSQL. A report's key, its event and its effect on the subscriber are
/// written in one transaction, so a report is acted on once or not at all; the key table (<c>feedback_reports</c>)
/// also remembers reports that named nobody, or carried no event, so they are counted once too.
/// </summary>
public sealed class SqlFeedbackStore(Database database) : IFeedbackStore
{
    /// <summary>Run keys longer than this name no run: the longest a ledger makes is far shorter.</summary>
    public const int MaxKeyLength = 200;

    /// <summary>What a reporter said is kept to this many characters: enough for any real diagnostic, bounded for hostile ones.</summary>
    public const int MaxDiagnosticLength = 1000;

    private const int MaxAddressLength = 320;
    private const int PageSize = 500;
    private static readonly string[] CountedKinds = [FeedbackKind.HardBounce.ToText(), FeedbackKind.SoftBounce.ToText(), FeedbackKind.Complaint.ToText()];
    private const string MergedInto = "SELECT into_id FROM subscriber_merges WHERE id = @id";

    /// <summary>The events of one kind kept per subscriber: the newest.</summary>
    internal const int MaxEventsPerKind = 100;

    public async Task<FeedbackResult> RecordAsync(FeedbackEvent feedback, FeedbackRules rules, CancellationToken cancellationToken)
    {
        // The full-sync writer: the mailbox moves a report away once this commits, so the commit must outlive a power cut.
        using var turn = await database.WriterAsync(cancellationToken);
        var connection = turn.Connection;
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var result = await RecordAsync(connection, transaction, database.Dialect, feedback, rules, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return result;
    }

    public async Task<IReadOnlyList<FeedbackResult>> RecordBatchAsync(IReadOnlyList<FeedbackEntry> entries, FeedbackRules rules, CancellationToken cancellationToken)
    {
        var results = new FeedbackResult[entries.Count];
        if (entries.Count == 0) return results;
        // One full-sync commit for the whole batch: the syncs, not the statements, are what a mailbox pass waits on.
        using var turn = await database.WriterAsync(cancellationToken);
        var connection = turn.Connection;
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        for (var i = 0; i < entries.Count; i++)
        {
            var entry = entries[i];
            results[i] = entry.Event is { } feedback
                ? await RecordAsync(connection, transaction, database.Dialect, feedback, rules, cancellationToken)
                : new FeedbackResult(await RememberAsync(connection, transaction, Key(entry.Key), Bounded(entry.Outcome, 32), entry.At, cancellationToken)
                    ? FeedbackOutcome.Applied : FeedbackOutcome.Duplicate);
        }
        await transaction.CommitAsync(cancellationToken);
        return results;
    }

    /// <summary>
    /// Records <paramref name="feedback"/> in the caller's transaction: the one way an event is counted, whether a
    /// report brought it or the SMTP server refused the mail as it was sent (<see cref="SqlDigestLedger.FailAsync"/>).
    /// </summary>
    internal static async Task<FeedbackResult> RecordAsync(DbConnection connection, DbTransaction transaction, SqlDialect dialect, FeedbackEvent feedback,
        FeedbackRules rules, CancellationToken cancellationToken)
    {
        var key = Key(feedback.Key);
        var (found, runKey, trusted) = await ResolveAsync(connection, transaction, feedback.Target, cancellationToken);
        if (!await RememberAsync(connection, transaction, key, found is null ? "no-subscriber" : "applied", feedback.At, cancellationToken))
            return new FeedbackResult(FeedbackOutcome.Duplicate);
        if (found is not { } id) return new FeedbackResult(FeedbackOutcome.NoSubscriber);
        // Anyone can write an address or guess a legacy Message-ID: such a complaint takes them off the list, but is not
        // final, since a final status is what only a fresh double opt-in undoes.
        if (feedback.Kind == FeedbackKind.Complaint && !trusted) feedback = feedback with { Kind = FeedbackKind.Unsubscribe };

        // Locked before the event is counted: two soft bounces for one subscriber at once, on two nodes, each see the other's.
        // Erased meanwhile (forget, on another connection, after we found them): nobody to record it against.
        await using (var hold = connection.Command($"SELECT id FROM subscribers WHERE id = @id {dialect.ForUpdate}", transaction, ("@id", id)))
            if (await hold.ExecuteScalarAsync(cancellationToken) is null) return new FeedbackResult(FeedbackOutcome.NoSubscriber);
        await using (var insert = connection.Command(
            "INSERT INTO subscriber_events (subscriber_id, kind, source, at, run_key, diagnostic, event_key) VALUES (@id, @kind, @source, @at, @run, @diagnostic, @key)",
            transaction, ("@id", id), ("@kind", feedback.Kind.ToText()), ("@source", Bounded(feedback.Source, 32)), ("@at", Time(feedback.At)),
            ("@run", runKey), ("@diagnostic", Bounded(feedback.Diagnostic, MaxDiagnosticLength)), ("@key", key)))
            await insert.ExecuteNonQueryAsync(cancellationToken);
        // Anyone can mail us reports naming one subscriber: their history keeps the newest 100 of each kind, so it stays
        // bounded (the report keys are all still remembered). The newest, since the soft-bounce window counts those.
        await using (var trim = connection.Command(
            $"""
            DELETE FROM subscriber_events WHERE subscriber_id = @id AND kind = @kind AND id NOT IN (
                SELECT k.id FROM subscriber_events k WHERE k.subscriber_id = @id AND k.kind = @kind ORDER BY k.at DESC, k.id DESC LIMIT {MaxEventsPerKind})
            """, transaction, ("@id", id), ("@kind", feedback.Kind.ToText())))
            await trim.ExecuteNonQueryAsync(cancellationToken);
        // One bounce reported twice (a provider's webhook and the relay's DSN, under two keys) is recorded twice but
        // counted once: at most one reported hard bounce per subscriber and run counts toward the limit. A 5xx at send
        // time is its own attempt (a retried delivery refused again counts again, as it always did).
        var firstOfRun = runKey is null || feedback.Source == "smtp" ? "" :
            " AND NOT EXISTS (SELECT 1 FROM subscriber_events e WHERE e.subscriber_id = @id AND e.kind = 'hard-bounce' AND e.run_key = @run AND e.source <> 'smtp' AND e.event_key <> @key)";
        var (effect, parameters) = feedback.Kind switch
        {
            // As a 5xx at send time always did: counted, and an active subscriber suspended at the limit.
            FeedbackKind.HardBounce => (
                "UPDATE subscribers SET bounces = bounces + 1, status = CASE WHEN bounces + 1 >= @max AND status = 'active' THEN 'bounced' ELSE status END WHERE id = @id" + firstOfRun,
                new (string, object?)[] { ("@max", rules.MaxBounces), ("@run", runKey), ("@key", key) }),
            FeedbackKind.SoftBounce => (
                "UPDATE subscribers SET status = 'bounced' WHERE id = @id AND status = 'active' AND " +
                "(SELECT COUNT(*) FROM subscriber_events e WHERE e.subscriber_id = @id AND e.kind = 'soft-bounce' AND e.at > @since AND e.run_key IS NULL) + " +
                "(SELECT COUNT(DISTINCT e.run_key) FROM subscriber_events e WHERE e.subscriber_id = @id AND e.kind = 'soft-bounce' AND e.at > @since AND e.run_key IS NOT NULL) >= @max",
                new (string, object?)[] { ("@max", rules.MaxSoftBounces), ("@since", Time(feedback.At - rules.SoftBounceWindow)) }),
            // Whatever the status: a complaint is final, and the earlier time someone left is kept.
            FeedbackKind.Complaint => (
                "UPDATE subscribers SET status = 'complained', unsubscribed_at = CASE WHEN status = 'unsubscribed' THEN COALESCE(unsubscribed_at, @at) ELSE @at END " +
                "WHERE id = @id AND status <> 'complained'",
                new (string, object?)[] { ("@at", Time(feedback.At)) }),
            FeedbackKind.Unsubscribe => (
                "UPDATE subscribers SET status = 'unsubscribed', unsubscribed_at = @at WHERE id = @id AND status IN ('pending', 'active', 'bounced')",
                new (string, object?)[] { ("@at", Time(feedback.At)) }),
            _ => throw new ArgumentOutOfRangeException(nameof(feedback), feedback.Kind, "unknown kind of report"),
        };
        await using (var apply = connection.Command(effect, transaction, [("@id", id), .. parameters]))
            await apply.ExecuteNonQueryAsync(cancellationToken);
        await using var read = connection.Command($"SELECT {SubscriberColumns} FROM subscribers WHERE id = @id", transaction, ("@id", id));
        await using var reader = await read.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return new FeedbackResult(FeedbackOutcome.Applied, Subscriber(reader), runKey) { Kind = feedback.Kind };
    }

    public async Task<bool> MarkAsync(string key, string outcome, DateTimeOffset at, CancellationToken cancellationToken)
    {
        using var turn = await database.WriterAsync(cancellationToken);
        return await RememberAsync(turn.Connection, null, Key(key), Bounded(outcome, 32), at, cancellationToken);
    }

    public async Task<bool> SeenAsync(string key, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var seen = connection.Command("SELECT 1 FROM feedback_reports WHERE key = @key", null, ("@key", Key(key)));
        return await seen.ExecuteScalarAsync(cancellationToken) is not null;
    }

    public async Task<string?> OutcomeAsync(string key, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var outcome = connection.Command("SELECT outcome FROM feedback_reports WHERE key = @key", null, ("@key", Key(key)));
        return await outcome.ExecuteScalarAsync(cancellationToken) as string;
    }

    public async Task<int> ForgetAsync(string prefix, DateTimeOffset before, int limit, CancellationToken cancellationToken)
    {
        if (prefix.Length is 0 or > MaxKeyLength) throw new ArgumentException("A prefix of 1 to 200 characters is needed.", nameof(prefix));
        // A range on the primary key (the keys sort by code unit in both databases), so the DELETE reads only the prefix's keys.
        var upper = prefix[..^1] + (char)(prefix[^1] + 1);
        using var turn = await database.WriterAsync(cancellationToken);
        await using var forget = turn.Connection.Command(
            "DELETE FROM feedback_reports WHERE key IN (SELECT key FROM feedback_reports WHERE key >= @prefix AND key < @upper AND at < @before LIMIT @limit)",
            null, ("@prefix", prefix), ("@upper", upper), ("@before", Time(before)), ("@limit", limit));
        return await forget.ExecuteNonQueryAsync(cancellationToken);
    }

    public async IAsyncEnumerable<SubscriberEvent> HistoryAsync(long subscriberId, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var events = new List<SubscriberEvent>();
        // Read whole, then handed out: a slow consumer does not hold the database open. A subscriber's history is short.
        await using (var connection = await database.OpenAsync(cancellationToken))
        await using (var command = connection.Command(
            $"SELECT subscriber_id, kind, source, at, run_key, diagnostic FROM subscriber_events WHERE subscriber_id = COALESCE(({MergedInto}), @id) ORDER BY at, id",
            null, ("@id", subscriberId)))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
                events.Add(Event(reader));
        }
        foreach (var e in events) yield return e;
    }

    public async IAsyncEnumerable<SubscriberEvent> LatestAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var after = 0L;
        while (true)
        {
            var page = new List<SubscriberEvent>(PageSize);
            // A short read per page, as the subscriber list is read: the export interleaves the two.
            await using (var connection = await database.OpenAsync(cancellationToken))
            await using (var command = connection.Command(
                $"""
                SELECT e.subscriber_id, e.kind, e.source, e.at, e.run_key, e.diagnostic FROM subscriber_events e
                WHERE e.subscriber_id > @after
                  AND e.id = (SELECT l.id FROM subscriber_events l WHERE l.subscriber_id = e.subscriber_id ORDER BY l.at DESC, l.id DESC LIMIT 1)
                ORDER BY e.subscriber_id LIMIT {PageSize}
                """, null, ("@after", after)))
            await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
                while (await reader.ReadAsync(cancellationToken)) page.Add(Event(reader));
            foreach (var e in page) yield return e;
            if (page.Count < PageSize) yield break;
            after = page[^1].SubscriberId;
        }
    }

    public async Task<RunFeedback> RunFeedbackAsync(string runKey, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.Command(
            $"""
            SELECT (SELECT COUNT(*) FROM deliveries WHERE run_key = @run AND status = 'sent'), {RunCounts("@run")},
                   (SELECT COUNT(*) FROM deliveries WHERE run_key = @run AND status = 'failed'),
                   (SELECT COUNT(*) FROM deliveries WHERE run_key = @run AND status = 'skipped'),
                   (SELECT COUNT(*) FROM deliveries WHERE run_key = @run AND status = 'pending')
            """, null, ("@run", runKey));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return new RunFeedback(runKey, Count(reader, 0), Count(reader, 1), Count(reader, 2), Count(reader, 3), Count(reader, 4), Count(reader, 5), Count(reader, 6));
    }

    /// <summary>
    /// A run's hard bounces, soft bounces and complaints, as three columns: each the recipients it happened to, so one
    /// bounce reported twice (by the relay's mail and by its webhook, under two keys) is one recipient.
    /// </summary>
    internal static string RunCounts(string run) => string.Join(", ", CountedKinds.Select(kind =>
        $"(SELECT COUNT(DISTINCT e.subscriber_id) FROM subscriber_events e WHERE e.run_key = {run} AND e.kind = '{kind}')"));

    internal static SubscriberEvent Event(DbDataReader r) => new(
        r.GetInt64(0), FeedbackKindText.TryParse(r.GetString(1), out var kind) ? kind : throw new StorageException($"unknown event kind \"{r.GetString(1)}\" in the database"),
        r.GetString(2), DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(3)), r.IsDBNull(4) ? null : r.GetString(4), r.GetString(5));

    /// <summary>
    /// The subscriber a report is about, the run, and whether a complaint about them may be final, in the order
    /// <see cref="FeedbackTarget"/> gives. A Message-ID that matches none of our mail names nobody: the address is
    /// looked at only when the report gave no Message-ID, since a forger writes both.
    /// </summary>
    private static async Task<(long? Id, string? RunKey, bool Trusted)> ResolveAsync(DbConnection connection, DbTransaction transaction, FeedbackTarget target,
        CancellationToken cancellationToken)
    {
        long? id = null;
        string? runKey = null;
        var signed = false;
        if (target.SubscriberId is { } given)
        {
            await using var byId = connection.Command($"SELECT id FROM subscribers WHERE id = COALESCE(({MergedInto}), @id)", transaction, ("@id", given));
            id = AsId(await byId.ExecuteScalarAsync(cancellationToken));
            signed = id is not null;
        }
        var messageId = MessageId(target.MessageId);
        if (messageId is not null)
        {
            await using var byMessage = connection.Command("SELECT subscriber_id, run_key FROM deliveries WHERE message_id = @message", transaction, ("@message", messageId));
            await using var reader = await byMessage.ExecuteReaderAsync(cancellationToken);
            // Only the same subscriber's: a report that names one person by its return path and another by Message-ID goes by the signed one.
            if (await reader.ReadAsync(cancellationToken) && (id is null || id == reader.GetInt64(0)))
                (id, runKey) = (reader.GetInt64(0), reader.GetString(1));
        }
        else if (id is null && target.Address is { Length: > 0 and <= MaxAddressLength } address)
        {
            await using var byAddress = connection.Command("SELECT id FROM subscribers WHERE address_key = @key", transaction, ("@key", AddressKey(address)));
            id = AsId(await byAddress.ExecuteScalarAsync(cancellationToken));
        }
        if (id is not { } found) return (null, null, false);
        if (target.RunKey is { Length: <= MaxKeyLength } named)
        {
            await using var run = connection.Command("SELECT 1 FROM deliveries WHERE run_key = @run AND subscriber_id = @id", transaction, ("@run", named), ("@id", found));
            if (await run.ExecuteScalarAsync(cancellationToken) is not null) runKey = named;
        }
        else if (runKey is null && target.RunRef is { } reference)
        {
            // A ref is 32 bits of the run key's hash: unique among one subscriber's runs, so matched only among theirs,
            // and only their newest 400 deliveries (years of weekly digests), so a report costs the same however old the list.
            await using var runs = connection.Command(
                "SELECT run_key FROM deliveries WHERE subscriber_id = @id ORDER BY next_attempt_at DESC LIMIT 400", transaction, ("@id", found));
            await using var reader = await runs.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                if (ReturnAddress.RunRef(reader.GetString(0)) != reference) continue;
                runKey = reader.GetString(0);
                break;
            }
        }
        return (found, runKey, signed || target.Trusted);
    }

    private static async Task<bool> RememberAsync(DbConnection connection, DbTransaction? transaction, string key, string outcome, DateTimeOffset at,
        CancellationToken cancellationToken)
    {
        await using var remember = connection.Command("INSERT INTO feedback_reports (key, outcome, at) VALUES (@key, @outcome, @at) ON CONFLICT DO NOTHING",
            transaction, ("@key", key), ("@outcome", outcome), ("@at", Time(at)));
        return await remember.ExecuteNonQueryAsync(cancellationToken) > 0;
    }

    private static long? AsId(object? value) => value is null or DBNull ? null : Convert.ToInt64(value, CultureInfo.InvariantCulture);

    /// <summary>An address as reports write it (<c>rfc822; &lt;Ann@example.com&gt;</c> in a DSN, or bare), as the list keys it.</summary>
    private static string AddressKey(string text)
    {
        var address = text[(text.LastIndexOf(';') + 1)..].Trim().Trim('<', '>').Trim();
        return EmailAddress.KeyOf(address);
    }

    /// <summary>A Message-ID as we store it: without its angle brackets.</summary>
    private static string? MessageId(string? text)
    {
        var id = text?.Trim().TrimStart('<').TrimEnd('>').Trim();
        return id is { Length: > 0 and <= 998 } ? id : null;
    }

    /// <summary>
    /// A report's key as stored: always its SHA-256. Keys are only compared, and a webhook's key may carry the
    /// recipient's address (<c>sendgrid:{id}:{address}</c>), which must not outlive <c>forget</c>; any key fits the
    /// column and its index, too.
    /// </summary>
    /// <remarks>
    /// The key's namespace (what comes before its first <c>:</c>, such as <c>mailgun-token</c>, when it is a short
    /// word) stays in front in clear, so one kind of key can be pruned by prefix (<see cref="ForgetAsync"/>); it never
    /// holds an address.
    /// </remarks>
    internal static string Key(string key)
    {
        var hash = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));
        var colon = key.IndexOf(':', StringComparison.Ordinal);
        return colon is > 0 and <= 40 && !key.AsSpan(0, colon).ContainsAnyExcept(NamespaceCharacters) ? $"{key[..colon]}:{hash}" : hash;
    }

    private static readonly System.Buffers.SearchValues<char> NamespaceCharacters =
        System.Buffers.SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-");

    /// <summary>
    /// Text from a reporter, safe to keep and to print: control characters (a terminal's escape sequences among them)
    /// become spaces, and it is cut to <paramref name="max"/> characters, never inside a surrogate pair.
    /// </summary>
    internal static string Bounded(string? text, int max)
    {
        if (string.IsNullOrEmpty(text)) return "";
        var length = Math.Min(text.Length, max);
        if (length < text.Length && char.IsHighSurrogate(text[length - 1])) length--;
        return string.Create(length, text, static (span, source) =>
        {
            for (var i = 0; i < span.Length; i++) span[i] = char.IsControl(source[i]) ? ' ' : source[i];
        });
    }
}

using System.Security.Cryptography;
using Blog.Feedback;
using MimeKit;

namespace Blog.Inbox;

/// <summary>
/// One pass over the return mailbox: each message is classified, its result committed, and only then moved out of the
/// way (or deleted). Each message is keyed on its Message-ID, or the SHA-256 of its bytes when it has none; a key
/// committed before (a pass killed between committing and moving) is not acted on again, only finished. Messages go in
/// batches (<see cref="InboxOptions.BatchSize"/>, a few MB at most): one fetch and one commit a batch, at most
/// <see cref="InboxOptions.MaxMessageBytes"/> of each message in memory; a malformed one never stops the pass.
/// </summary>
public sealed partial class InboxPass(MessageClassifier classifier, FeedbackRecorder recorder,
    IOptions<InboxOptions> options, TimeProvider time, ILogger<InboxPass> logger, InboxMetrics metrics)
{
    private const int MaxKeyLength = 200;

    /// <summary>
    /// A batch is cut before it passes this many bytes (as the server sizes them), so a batch of large messages holds
    /// at most this much, or one message: with <see cref="InboxOptions.BatchSize"/> what bounds a pass's memory.
    /// </summary>
    private const long MaxBatchBytes = 8 * 1024 * 1024;

    /// <exception cref="InboxException">The mailbox could not be reached or used; what was committed before stays committed.</exception>
    public async Task<InboxSummary> RunAsync(IMailbox mailbox, CancellationToken cancellationToken)
    {
        var tally = new Tally();
        var batch = new List<MailboxMessage>();
        long batchBytes = 0;
        await mailbox.OpenAsync(cancellationToken);
        await foreach (var message in mailbox.MessagesAsync(cancellationToken))
        {
            if (message.Size > options.Value.MaxMessageBytes)
            {
                Log.TooLarge(logger, mailbox.Describe(), message.Id, message.Size, options.Value.MaxMessageBytes);
                tally.Unhandled++;
                await mailbox.FinishAsync(message, handled: false, cancellationToken);
                continue;
            }
            if (batch.Count > 0 && (batch.Count >= options.Value.BatchSize || batchBytes + message.Size > MaxBatchBytes))
            {
                await PassAsync(mailbox, batch, tally, cancellationToken);
                batch.Clear();
                batchBytes = 0;
            }
            batch.Add(message);
            batchBytes += message.Size;
        }
        if (batch.Count > 0) await PassAsync(mailbox, batch, tally, cancellationToken);
        await mailbox.CloseAsync(cancellationToken);
        var summary = tally.Summary;
        if (!summary.IsEmpty) Log.Passed(logger, mailbox.Describe(), summary.ToString());
        return summary;
    }

    /// <summary>
    /// One batch: fetched with one request, classified, its results committed in one transaction, and only then
    /// finished (moved). A kill between the commit and the move leaves the whole batch committed and in place; the
    /// next pass finds every key in and counts each message once, as already seen.
    /// </summary>
    private async Task PassAsync(IMailbox mailbox, List<MailboxMessage> batch, Tally tally, CancellationToken cancellationToken)
    {
        // Each message is classified as it arrives and only its key and verdict are kept: a parsed message holds far
        // more memory than its bytes, and a batch of them was what a pass's peak grew with.
        var read = new Dictionary<MailboxMessage, (string Key, InboxVerdict? Verdict)?>(batch.Count);
        await mailbox.ReadManyAsync(batch, async (message, stream, token) =>
        {
            var got = await ReadAsync(mailbox, message, stream, token);
            if (got is not var (key, parsed))
            {
                read[message] = null;
                return;
            }
            try
            {
                read[message] = (key, classifier.Classify(parsed));
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // A rule tripping on a message nobody foresaw: that message stays for the next pass, the batch goes on.
                Log.Failed(logger, mailbox.Describe(), key, e);
                read[message] = (key, null);
            }
        }, cancellationToken);
        var now = time.GetUtcNow();
        var entries = new List<FeedbackEntry>(batch.Count);
        var acted = new List<(MailboxMessage Message, string Key, InboxVerdict Verdict, int First)>(batch.Count);
        foreach (var message in batch)
        {
            if (!read.TryGetValue(message, out var got))
            {
                // The server sent nothing for it (expunged meanwhile by another client): nothing to act on.
                mailbox.Skip(message);
                continue;
            }
            if (got is not var (key, classified))
            {
                tally.Unhandled++;
                await mailbox.FinishAsync(message, handled: false, cancellationToken);
                continue;
            }
            if (classified is not { } verdict)
            {
                tally.Errors++;
                mailbox.Skip(message);
                continue;
            }
            acted.Add((message, key, verdict, entries.Count));
            if (verdict.Kind == InboxVerdictKind.Unhandled)
            {
                Log.Unhandled(logger, key, verdict.Reason);
                entries.Add(FeedbackEntry.Mark(key, "unhandled", now));
            }
            else if (verdict.Kind == InboxVerdictKind.Ignored || verdict.Findings.Length == 0)
                entries.Add(FeedbackEntry.Mark(key, "ignored", now));
            else
            {
                // Each finding under a key of its own, in order: the last one's key is in only when every finding is,
                // so it says the message is done, with no write of its own.
                for (var i = 0; i < verdict.Findings.Length; i++)
                {
                    var finding = verdict.Findings[i];
                    entries.Add(FeedbackEntry.Record(new FeedbackEvent(EventKey(key, i), finding.Kind, mailbox.Source, now, finding.Target, finding.Diagnostic)));
                }
            }
        }
        if (acted.Count == 0) return;

        IReadOnlyList<FeedbackResult> results;
        try
        {
            results = await recorder.RecordBatchAsync(entries, cancellationToken);
        }
        catch (Exception e) when (e is not (OperationCanceledException or InboxException))
        {
            // The store failing: nothing of the batch is committed, and all of it stays for the next pass.
            Log.BatchFailed(logger, acted.Count, mailbox.Describe(), acted[0].Key, e);
            tally.Errors += acted.Count;
            foreach (var (message, _, _, _) in acted) mailbox.Skip(message);
            return;
        }
        foreach (var (_, _, verdict, first) in acted) Count(verdict, results, first, tally);
        // Only a commit that changed something stops for the kill test: a batch seen whole before is just moved.
        if (results.Any(r => r.Outcome != FeedbackOutcome.Duplicate)) await CommitSignal(acted[^1].Key, cancellationToken);
        foreach (var (message, _, verdict, _) in acted)
        {
            await mailbox.FinishAsync(message, handled: verdict.Kind != InboxVerdictKind.Unhandled, cancellationToken);
            metrics.Read(verdict.Kind);
        }
    }

    /// <summary>Counts one message by its entries' results, which start at <paramref name="first"/>.</summary>
    private static void Count(InboxVerdict verdict, IReadOnlyList<FeedbackResult> results, int first, Tally tally)
    {
        if (verdict.Kind == InboxVerdictKind.Unhandled)
        {
            tally.Unhandled++;
            return;
        }
        if (verdict.Kind == InboxVerdictKind.Ignored || verdict.Findings.Length == 0)
        {
            if (results[first].Outcome == FeedbackOutcome.Duplicate) tally.AlreadySeen++;
            else tally.Ignored++;
            return;
        }
        // The last finding already in: the message was done before (a pass killed between commit and move, or a copy in this batch).
        if (results[first + verdict.Findings.Length - 1].Outcome == FeedbackOutcome.Duplicate)
        {
            tally.AlreadySeen++;
            return;
        }
        for (var i = 0; i < verdict.Findings.Length; i++)
        {
            // Counted by what was done, not by what the report said: nobody matched, or a complaint taken as an unsubscribe.
            var result = results[first + i];
            if (result.Outcome == FeedbackOutcome.Duplicate) continue;
            if (result.Outcome == FeedbackOutcome.NoSubscriber)
            {
                tally.NotOnList++;
                continue;
            }
            switch (result.Kind ?? verdict.Findings[i].Kind)
            {
                case FeedbackKind.HardBounce or FeedbackKind.SoftBounce: tally.Bounces++; break;
                case FeedbackKind.Complaint: tally.Complaints++; break;
                default: tally.Unsubscribes++; break;
            }
        }
    }

    /// <summary>The message's key and content; null when it cannot be read as a message at all.</summary>
    private async Task<(string Key, MimeMessage Message)?> ReadAsync(IMailbox mailbox, MailboxMessage message, Stream stream, CancellationToken cancellationToken)
    {
        // The server's own size may be off: never more than the limit is held, whatever comes.
        var limit = options.Value.MaxMessageBytes;
        using var bytes = new MemoryStream();
        var buffer = new byte[81920];
        int n;
        while ((n = await stream.ReadAsync(buffer, cancellationToken)) > 0)
        {
            if (bytes.Length + n > limit)
            {
                Log.TooLarge(logger, mailbox.Describe(), message.Id, bytes.Length + n, limit);
                return null;
            }
            bytes.Write(buffer, 0, n);
        }
        bytes.Position = 0;
        MimeMessage parsed;
        try
        {
            parsed = await MimeMessage.LoadAsync(bytes, cancellationToken);
        }
        catch (FormatException e)
        {
            Log.Unreadable(logger, mailbox.Describe(), message.Id, e.Message);
            return null;
        }
        return (Key(parsed.MessageId, bytes.GetBuffer().AsSpan(0, (int)bytes.Length)), parsed);
    }

    /// <summary>The report's Message-ID, or the hash of its bytes: the same for the same message in any folder, under any UID.</summary>
    internal static string Key(string? messageId, ReadOnlySpan<byte> bytes)
    {
        if (!string.IsNullOrWhiteSpace(messageId) && messageId.Length <= MaxKeyLength && !messageId.Any(char.IsControl)) return $"mid:{messageId}";
        return $"sha256:{Convert.ToHexStringLower(SHA256.HashData(bytes))}";
    }

    private static string EventKey(string key, int finding) => $"{key}#{finding.ToString(System.Globalization.CultureInfo.InvariantCulture)}";

    /// <summary>The kill test's hook (<see cref="InboxOptions.CommitSignalPath"/>): says what was committed, then waits for the word to move it.</summary>
    private async Task CommitSignal(string key, CancellationToken cancellationToken)
    {
        var path = options.Value.CommitSignalPath;
        if (path.Length == 0) return;
        // A FIFO: each open waits for the other end, so this holds the pass right here until the test answers (or kills it).
        await using (var writer = new StreamWriter(new FileStream(path, FileMode.Open, FileAccess.Write))) await writer.WriteLineAsync(key.AsMemory(), cancellationToken);
        using var reader = new StreamReader(new FileStream(path, FileMode.Open, FileAccess.Read));
        // Not cancellable: the test cancels, then answers, to stop the pass right after this.
        _ = reader.ReadLine();
    }

    private sealed class Tally
    {
        public int Bounces, Complaints, Unsubscribes, Ignored, Unhandled, AlreadySeen, Errors, NotOnList;

        public InboxSummary Summary => new(Bounces, Complaints, Unsubscribes, Ignored, Unhandled, AlreadySeen, Errors) { NotOnList = NotOnList };
    }

    private static partial class Log
    {
        [LoggerMessage(LogEvents.InboxPass.Passed, LogLevel.Information, "Read the return mailbox {Server}: {Summary}")]
        public static partial void Passed(ILogger logger, string server, string summary);

        [LoggerMessage(LogEvents.InboxPass.TooLarge, LogLevel.Warning, "Left message {Id} in {Server} unhandled: it is {Size} bytes, over Mail:Inbox:MaxMessageBytes ({Limit})")]
        public static partial void TooLarge(ILogger logger, string server, string id, long size, int limit);

        [LoggerMessage(LogEvents.InboxPass.Unreadable, LogLevel.Warning, "Left message {Id} in {Server} unhandled: it is not a readable message ({Reason})")]
        public static partial void Unreadable(ILogger logger, string server, string id, string reason);

        [LoggerMessage(LogEvents.InboxPass.Unhandled, LogLevel.Information, "Left message {Key} for the owner: {Reason}")]
        public static partial void Unhandled(ILogger logger, string key, string reason);

        [LoggerMessage(LogEvents.InboxPass.Failed, LogLevel.Error, "Could not act on message {Key} in {Server}; it stays for the next pass")]
        public static partial void Failed(ILogger logger, string server, string key, Exception exception);

        [LoggerMessage(LogEvents.InboxPass.BatchFailed, LogLevel.Error, "Could not record {Count} messages from {Server} (the first {Key}); they stay for the next pass")]
        public static partial void BatchFailed(ILogger logger, int count, string server, string key, Exception exception);
    }
}

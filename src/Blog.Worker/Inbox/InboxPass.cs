using System.Security.Cryptography;
using Blog.Feedback;
using MimeKit;

namespace Blog.Inbox;

/// <summary>
/// One pass over the return mailbox: each message is classified, its result committed, and only then moved out of the
/// way (or deleted). Each message is keyed on its Message-ID, or the SHA-256 of its bytes when it has none; a key
/// committed before (a pass killed between committing and moving) is not acted on again, only finished. One message
/// at a time, at most <see cref="InboxOptions.MaxMessageBytes"/> of it in memory; a malformed one never stops the pass.
/// </summary>
public sealed partial class InboxPass(MessageClassifier classifier, FeedbackRecorder recorder, IFeedbackStore store,
    IOptions<InboxOptions> options, TimeProvider time, ILogger<InboxPass> logger)
{
    private const int MaxKeyLength = 200;

    /// <exception cref="InboxException">The mailbox could not be reached or used; what was committed before stays committed.</exception>
    public async Task<InboxSummary> RunAsync(IMailbox mailbox, CancellationToken cancellationToken)
    {
        var tally = new Tally();
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
            var read = await ReadAsync(mailbox, message, cancellationToken);
            if (read is not var (key, parsed))
            {
                tally.Unhandled++;
                await mailbox.FinishAsync(message, handled: false, cancellationToken);
                continue;
            }
            bool handled;
            try
            {
                handled = await ActAsync(mailbox.Source, key, parsed, tally, cancellationToken);
            }
            catch (Exception e) when (e is not (OperationCanceledException or InboxException))
            {
                // The store failing, or a rule tripping on a message nobody foresaw: the message stays for the next pass.
                Log.Failed(logger, mailbox.Describe(), key, e);
                tally.Errors++;
                mailbox.Skip(message);
                continue;
            }
            await mailbox.FinishAsync(message, handled, cancellationToken);
        }
        await mailbox.CloseAsync(cancellationToken);
        var summary = tally.Summary;
        if (!summary.IsEmpty) Log.Passed(logger, mailbox.Describe(), summary.ToString());
        return summary;
    }

    /// <summary>The message's key and content; null when it cannot be read as a message at all.</summary>
    private async Task<(string Key, MimeMessage Message)?> ReadAsync(IMailbox mailbox, MailboxMessage message, CancellationToken cancellationToken)
    {
        await using var stream = await mailbox.ReadAsync(message, cancellationToken);
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

    /// <summary>Commits what the message says; true when it is handled (moved out of the way), false when it stays for the owner.</summary>
    private async Task<bool> ActAsync(string source, string key, MimeMessage message, Tally tally, CancellationToken cancellationToken)
    {
        var verdict = classifier.Classify(message);
        var now = time.GetUtcNow();
        switch (verdict.Kind)
        {
            case InboxVerdictKind.Unhandled:
                Log.Unhandled(logger, key, verdict.Reason);
                tally.Unhandled++;
                await store.MarkAsync(key, "unhandled", now, cancellationToken);
                return false;
            case InboxVerdictKind.Ignored:
                if (await store.SeenAsync(key, cancellationToken)) tally.AlreadySeen++;
                else
                {
                    await store.MarkAsync(key, "ignored", now, cancellationToken);
                    tally.Ignored++;
                }
                return true;
            default:
                if (verdict.Findings.Length == 0) goto case InboxVerdictKind.Ignored;
                // Each finding under a key of its own, recorded in order: the last one's key is in only when every
                // finding is, so it says the message is done, with no write of its own (one commit a report, not two:
                // the commits' syncs are what a pass spends its time on). A pass cut short between findings records
                // the rest next time, and the ones it did, once.
                if (await store.SeenAsync(EventKey(key, verdict.Findings.Length - 1), cancellationToken))
                {
                    tally.AlreadySeen++;
                    return true;
                }
                for (var i = 0; i < verdict.Findings.Length; i++)
                {
                    var finding = verdict.Findings[i];
                    var result = await recorder.RecordAsync(new FeedbackEvent(EventKey(key, i), finding.Kind, source, now, finding.Target, finding.Diagnostic), cancellationToken);
                    if (result.Outcome == FeedbackOutcome.Duplicate) continue;
                    switch (finding.Kind)
                    {
                        case FeedbackKind.HardBounce or FeedbackKind.SoftBounce: tally.Bounces++; break;
                        case FeedbackKind.Complaint: tally.Complaints++; break;
                        default: tally.Unsubscribes++; break;
                    }
                }
                await CommitSignal(key, cancellationToken);
                return true;
        }
    }

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
        public int Bounces, Complaints, Unsubscribes, Ignored, Unhandled, AlreadySeen, Errors;

        public InboxSummary Summary => new(Bounces, Complaints, Unsubscribes, Ignored, Unhandled, AlreadySeen, Errors);
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
    }
}

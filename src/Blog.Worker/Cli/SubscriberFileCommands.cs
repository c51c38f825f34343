using System.CommandLine;
using System.Globalization;
using System.Text;
using Blog.Feedback;
using Blog.Mail;
using Blog.MailingList;
using Blog.Subscriptions;

namespace Blog.Cli;

/// <summary><c>blog subscribers import|export</c>.</summary>
internal static class SubscriberFileCommands
{
    private const int ProblemsShown = 50;

    public static async Task<int> ImportAsync(IServiceProvider services, ParseResult args, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        var file = args.GetRequiredValue(CliSymbols.CsvFile);
        var confirmed = args.GetValue(CliSymbols.Confirmed);
        CsvImport import;
        try
        {
            using var reader = file == "-" ? new StreamReader(Console.OpenStandardInput()) : new StreamReader(file, new UTF8Encoding(false, throwOnInvalidBytes: true));
            import = SubscriberCsv.Parse(CsvFormat.Read(reader), services.GetRequiredService<SubscriptionChoices>(), confirmed);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or DecoderFallbackException)
        {
            var reason = e is DecoderFallbackException ? "it is not UTF-8 text" : e.Message;
            return await SubscriberCommands.FailAsync(stderr, $"cannot read {file}: {reason}");
        }
        foreach (var notice in import.Notices) await stderr.WriteLineAsync($"{file}: {notice}");
        if (import.Problems.Count > 0)
        {
            foreach (var problem in import.Problems.Take(ProblemsShown)) await stderr.WriteLineAsync($"{file}: {problem}");
            if (import.Problems.Count > ProblemsShown) await stderr.WriteLineAsync($"{file}: ... and {import.Problems.Count - ProblemsShown} more");
            await stderr.WriteLineAsync($"blog: nothing imported: {QueuedMailDelivery.Count(import.Problems.Count, "row")} with problems; fix them and run the import again");
            return BlogCli.Problems;
        }

        var store = services.GetRequiredService<ISubscriberStore>();
        var now = services.GetRequiredService<TimeProvider>().GetUtcNow();
        var confirmation = services.GetRequiredService<ConfirmationMail>();
        var progress = TerminalProgress.For(stderr);
        var total = import.Drafts.Count;
        var result = await store.ImportAsync(import.Drafts, now, confirmed ? null : s => confirmation.For(s, now),
            progress is null ? null : new Progress<int>(n => progress.Report(string.Create(CultureInfo.InvariantCulture, $"importing {n}/{total}"))),
            cancellationToken);
        progress?.Clear();
        await stdout.WriteLineAsync($"imported {QueuedMailDelivery.Count(result.Added, "address")} from {file}" +
            (result.AlreadyListed > 0 ? $"; {result.AlreadyListed} already on the list, left as they were" : "") +
            (result.Suppressed > 0 ? $"; {result.Suppressed} erased after a spam complaint, kept off the list" : "") +
            (result.ConfirmationsQueued > 0 ? $"; {QueuedMailDelivery.Count(result.ConfirmationsQueued, "confirmation mail")} queued" : ""));
        await QueuedMailDelivery.SendAsync(services, result.ConfirmationsQueued, stdout, stderr, cancellationToken);
        return BlogCli.Ok;
    }

    public static async Task<int> ExportAsync(IServiceProvider services, ParseResult args, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        var file = args.GetRequiredValue(CliSymbols.CsvFile);
        var store = services.GetRequiredService<ISubscriberStore>();
        var feedback = services.GetRequiredService<IFeedbackStore>();
        if (file == "-")
        {
            await WriteAsync(store, feedback, stdout, null, cancellationToken);
            return BlogCli.Ok;
        }
        var path = Path.GetFullPath(file);
        var temp = Path.Combine(Path.GetDirectoryName(path)!, $".{Path.GetFileName(path)}.{Guid.NewGuid():N}.tmp");
        int count;
        try
        {
            var progress = TerminalProgress.For(stderr);
            await using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write))
            await using (var writer = new StreamWriter(stream, new UTF8Encoding(false)))
            {
                count = await WriteAsync(store, feedback, writer, progress, cancellationToken);
                await writer.FlushAsync(cancellationToken);
                stream.Flush(flushToDisk: true);
            }
            progress?.Clear();
            // A half-written export never replaces a good one.
            File.Move(temp, path, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            File.Delete(temp);
            return await SubscriberCommands.FailAsync(stderr, $"cannot write {file}: {e.Message}");
        }
        await stdout.WriteLineAsync($"exported {QueuedMailDelivery.Count(count, "subscriber")} to {file}");
        return BlogCli.Ok;
    }

    /// <summary>The list and each subscriber's newest event, two streams in id order read side by side, so neither sits in memory.</summary>
    private static async Task<int> WriteAsync(ISubscriberStore store, IFeedbackStore feedback, TextWriter writer, TerminalProgress? progress,
        CancellationToken cancellationToken)
    {
        await writer.WriteAsync(SubscriberCsv.Header + "\r\n");
        var count = 0;
        await using var events = feedback.LatestAsync(cancellationToken).GetAsyncEnumerator(cancellationToken);
        var more = await events.MoveNextAsync();
        await foreach (var subscriber in store.ListAsync(cancellationToken))
        {
            // Events of ids no longer listed (erased meanwhile) are passed over.
            while (more && events.Current.SubscriberId < subscriber.Id) more = await events.MoveNextAsync();
            var last = more && events.Current.SubscriberId == subscriber.Id ? events.Current : null;
            await writer.WriteAsync(SubscriberCsv.Row(subscriber, last) + "\r\n");
            if (++count % 1000 == 0) progress?.Report(string.Create(CultureInfo.InvariantCulture, $"exported {count}"));
        }
        return count;
    }
}

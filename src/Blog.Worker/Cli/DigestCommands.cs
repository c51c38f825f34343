using System.CommandLine;
using System.Globalization;
using Blog.Digests;
using Blog.Posts;
using Blog.MailingList;

namespace Blog.Cli;

/// <summary><c>blog digest preview|send|status|retry</c>.</summary>
internal static class DigestCommands
{
    public static async Task<int> PreviewAsync(IServiceProvider services, ParseResult args, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        var text = args.GetValue(CliSymbols.To);
        if (text is null) return await SubscriberCommands.FailAsync(stderr, "'digest preview' needs --to EMAIL");
        var subscriber = await SubscriberCommands.FindAsync(services.GetRequiredService<ISubscriberStore>(), text, stderr, cancellationToken, "--to");
        if (subscriber is null) return BlogCli.Problems;
        if (subscriber.Status != SubscriberStatus.Active)
        {
            await stdout.WriteLineAsync($"{subscriber.Address} is {subscriber.Status.ToText()}: no digest would be sent");
            return BlogCli.Ok;
        }
        var now = services.GetRequiredService<TimeProvider>().GetUtcNow();
        if (await PublishedAsync(services, now, stderr, cancellationToken) is not { } published) return BlogCli.Problems;
        var (plan, message) = await services.GetRequiredService<DigestPreview>().ComposeAsync(subscriber, published, now, cancellationToken);
        var posts = plan.Posts;
        if (message is null)
        {
            await stdout.WriteLineAsync($"nothing new for {subscriber.Address} since {(subscriber.Watermark ?? subscriber.ConfirmedAt)!.Value.UtcDateTime:yyyy-MM-dd HH:mm} UTC ({subscriber.Cadence})");
            return BlogCli.Ok;
        }
        if (args.GetValue(CliSymbols.OutFile) is { } file)
        {
            await using (var stream = File.Create(file)) await message.WriteToAsync(stream, cancellationToken);
            await stdout.WriteLineAsync($"wrote the {subscriber.Cadence} digest for {subscriber.Address} ({QueuedMailDelivery.Count(posts.Length, "post")}{(plan.More > 0 ? $", and a link to {plan.More} more" : "")}) to {file}");
        }
        else
        {
            await using var output = new MemoryStream();
            await message.WriteToAsync(output, cancellationToken);
            await stdout.WriteAsync(System.Text.Encoding.UTF8.GetString(output.ToArray()));
        }
        return BlogCli.Ok;
    }

    public static async Task<int> SendAsync(IServiceProvider services, ParseResult args, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        var digests = services.GetRequiredService<IOptions<DigestsOptions>>().Value;
        var cadences = digests.CadenceNames;
        if (args.GetValue(CliSymbols.OneCadence) is { } only)
        {
            if (!cadences.Contains(only)) return await SubscriberCommands.FailAsync(stderr, $"--cadence: unknown cadence \"{only}\"; the cadences are {string.Join(", ", cadences)}");
            cadences = [only];
        }
        var ledger = services.GetRequiredService<IDigestLedger>();
        var runs = services.GetRequiredService<DigestRuns>();
        var now = services.GetRequiredService<TimeProvider>().GetUtcNow();
        // An unreadable folder is an outage, not every post withdrawn: nothing is planned or sent on it.
        if (await PublishedAsync(services, now, stderr, cancellationToken) is not { } published) return BlogCli.Problems;
        var progress = TerminalProgress.For(stderr);

        // A run a stop interrupted while planning is finished first, as it began; then every send is a run of its own.
        var touched = new List<string>();
        foreach (var (key, cadence) in await ledger.UnplannedAsync(cancellationToken))
        {
            var resumed = await runs.PlanAsync(key, cadence, now, published, Reporter(progress, $"planning {key}"), cancellationToken);
            progress?.Clear();
            touched.Add(key);
            await stdout.WriteLineAsync($"resumed {key}, whose planning a stop interrupted: planned {QueuedMailDelivery.Count(resumed.Subscribers, "more subscriber")}");
        }
        foreach (var cadence in cadences)
        {
            var plan = await runs.PlanManualAsync(cadence, now, published, Reporter(progress, $"planning {cadence}"), cancellationToken);
            progress?.Clear();
            touched.Add(plan.Key);
            await stdout.WriteLineAsync($"planned {plan.Key}: {QueuedMailDelivery.Count(plan.Subscribers, "subscriber")}, " +
                $"{plan.WithPosts} with new posts, {plan.Subscribers - plan.WithPosts} with nothing new");
        }

        var sender = services.GetRequiredService<DigestSender>();
        var round = await sender.SendDueAsync(published.ToDictionary(p => p.Id, StringComparer.Ordinal), Reporter(progress, "sending digests"), cancellationToken);
        progress?.Clear();
        await stdout.WriteLineAsync($"sent {QueuedMailDelivery.Count(round.Sent, "digest")} to {services.GetRequiredService<Mail.IMailTransport>().Describe()}" +
            $"; {round.Skipped} skipped, {round.Failed} failed");
        // Each run this send planned, as the ledger has it: its planned deliveries, every one accounted for.
        var summaries = await ledger.RunsAsync(100, cancellationToken);
        foreach (var run in summaries.Where(r => touched.Contains(r.Key)).OrderBy(r => r.Key, StringComparer.Ordinal))
            await stdout.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"{run.Key}: {run.Deliveries} planned = {run.Sent} sent + {run.Skipped} skipped + {run.Failed} failed + {run.Pending} pending"));
        var waiting = summaries.Sum(r => r.Pending);
        if (waiting > 0 && round.Paused is null)
            await stderr.WriteLineAsync($"blog: {QueuedMailDelivery.Count(waiting, "delivery")} still pending: waiting for a retry, or held " +
                $"by a sender that stopped (Digests:Lease, {services.GetRequiredService<IOptions<DigestsOptions>>().Value.Lease}); 'blog digest send' again later sends them, once.");
        if (round.Paused is { } why)
        {
            await stderr.WriteLineAsync($"blog: paused: {why}. Run 'blog digest send' again later; nothing sent is sent twice.");
            return BlogCli.Problems;
        }
        return round.Failed > 0 ? BlogCli.Problems : BlogCli.Ok;
    }

    public static async Task<int> StatusAsync(IServiceProvider services, TextWriter stdout, CancellationToken cancellationToken)
    {
        var runs = await services.GetRequiredService<IDigestLedger>().RunsAsync(20, cancellationToken);
        if (runs.Count == 0)
        {
            await stdout.WriteLineAsync("no digest has run yet");
            return BlogCli.Ok;
        }
        // BOUNCED, SOFT and COMPLAINED count recipients of the run, whether the SMTP server refused the mail as it was sent or a report came back later.
        await stdout.WriteLineAsync($"{"RUN",-40} {"STARTED",-17} {"SENT",7} {"SKIPPED",8} {"FAILED",7} {"PENDING",8} {"BOUNCED",8} {"SOFT",5} {"COMPLAINED",10}");
        foreach (var run in runs)
            await stdout.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"{run.Key,-40} {run.CreatedAt.UtcDateTime:yyyy-MM-dd HH:mm}  {run.Sent,7} {run.Skipped,8} {run.Failed,7} {run.Pending,8} " +
                $"{run.HardBounces,8} {run.SoftBounces,5} {run.Complaints,10}{(run.Planned ? "" : "  (planning interrupted)")}"));
        return BlogCli.Ok;
    }

    public static async Task<int> RetryAsync(IServiceProvider services, ParseResult args, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        var key = args.GetRequiredValue(CliSymbols.Run);
        var now = services.GetRequiredService<TimeProvider>().GetUtcNow();
        var count = await services.GetRequiredService<IDigestLedger>().RetryFailedAsync(key, now, cancellationToken);
        if (count is null) return await SubscriberCommands.FailAsync(stderr, $"there is no run \"{key}\"; 'blog digest status' lists them");
        await stdout.WriteLineAsync($"re-queued {QueuedMailDelivery.Count(count.Value, "failed delivery")} of {key}; 'blog digest send' sends them");
        return BlogCli.Ok;
    }

    private static async Task<ImmutableArray<Post>?> PublishedAsync(IServiceProvider services, DateTimeOffset now, TextWriter stderr, CancellationToken cancellationToken)
    {
        try
        {
            var snapshot = await services.GetRequiredService<PublishedPosts>().SnapshotAsync(cancellationToken);
            // A command reads the folder afresh and has no last good version of a file that is broken now.
            if (snapshot.Problems.Length > 0)
                await stderr.WriteLineAsync($"blog: {QueuedMailDelivery.Count(snapshot.Problems.Length, "post file")} with problems left out " +
                    "('blog check' lists them); a published post among them is not in this digest, and is not mailed once newer posts are");
            return snapshot.Published(now);
        }
        catch (PostStoreException e)
        {
            await stderr.WriteLineAsync($"blog: {e.Message}; nothing was planned or sent");
            return null;
        }
    }

    private static Progress<int>? Reporter(TerminalProgress? progress, string what) =>
        progress is null ? null : new Progress<int>(n => progress.Report(string.Create(CultureInfo.InvariantCulture, $"{what}: {n}")));
}

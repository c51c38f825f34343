using System.Globalization;
using Blog.Digests;
using Blog.Posts;
using Blog.Subscribers;

namespace Blog.Cli;

/// <summary><c>blog digest preview|send|status|retry</c>.</summary>
internal static class DigestCommands
{
    public static async Task<int> PreviewAsync(IServiceProvider services, CliArguments args, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        var text = args.Value(CliVerb.To);
        if (text is null) return await SubscriberCommands.FailAsync(stderr, "'digest preview' needs --to EMAIL");
        if (!EmailAddress.TryParse(text, out var address, out var error)) return await SubscriberCommands.FailAsync(stderr, $"--to: {error} (value: {PostProblem.Quote(text)})");
        var subscriber = await services.GetRequiredService<ISubscriberStore>().FindAsync(address, cancellationToken);
        if (subscriber is null) return await SubscriberCommands.FailAsync(stderr, $"{address} is not on the list");
        if (subscriber.Status != SubscriberStatus.Active)
        {
            await stdout.WriteLineAsync($"{address} is {subscriber.Status.ToString().ToLowerInvariant()}: no digest would be sent");
            return BlogCli.Ok;
        }
        var now = services.GetRequiredService<TimeProvider>().GetUtcNow();
        var published = Published(services, now);
        var posts = DigestPlanner.Plan(now, published, subscriber, services.GetRequiredService<IOptions<DigestsOptions>>().Value.CoolOff);
        if (posts.IsEmpty)
        {
            await stdout.WriteLineAsync($"nothing new for {address} since {(subscriber.Watermark ?? subscriber.ConfirmedAt)!.Value.UtcDateTime:yyyy-MM-dd HH:mm} UTC ({subscriber.Cadence})");
            return BlogCli.Ok;
        }
        var mail = services.GetRequiredService<DigestMail>();
        var message = mail.Compose(subscriber, posts, $"preview.{subscriber.Id}@preview.invalid");
        if (args.Value(CliVerb.OutFile) is { } file)
        {
            await using (var stream = File.Create(file)) await message.WriteToAsync(stream, cancellationToken);
            await stdout.WriteLineAsync($"wrote the {subscriber.Cadence} digest for {address} ({QueuedMailDelivery.Count(posts.Length, "post")}) to {file}");
        }
        else
        {
            await using var output = new MemoryStream();
            await message.WriteToAsync(output, cancellationToken);
            await stdout.WriteAsync(System.Text.Encoding.UTF8.GetString(output.ToArray()));
        }
        return BlogCli.Ok;
    }

    public static async Task<int> SendAsync(IServiceProvider services, CliArguments args, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        var digests = services.GetRequiredService<IOptions<DigestsOptions>>().Value;
        var cadences = digests.CadenceNames;
        if (args.Value(CliVerb.OneCadence) is { } only)
        {
            if (!cadences.Contains(only)) return await SubscriberCommands.FailAsync(stderr, $"--cadence: unknown cadence \"{only}\"; the cadences are {string.Join(", ", cadences)}");
            cadences = [only];
        }
        var ledger = services.GetRequiredService<IDigestLedger>();
        var runs = services.GetRequiredService<DigestRuns>();
        var now = services.GetRequiredService<TimeProvider>().GetUtcNow();
        var published = Published(services, now);
        var progress = TerminalProgress.For(stderr);

        // A run a stop interrupted while planning is finished first, as it began.
        var toPlan = (await ledger.UnplannedAsync(cancellationToken)).ToList();
        toPlan.AddRange(cadences.Select(c => (runs.KeyFor(c, now, manual: true), c)));
        foreach (var (key, cadence) in toPlan.Distinct())
        {
            var count = await runs.PlanAsync(key, cadence, now, published, Reporter(progress, $"planning {key}"), cancellationToken);
            progress?.Clear();
            await stdout.WriteLineAsync($"planned {key}: {QueuedMailDelivery.Count(count, "subscriber")}");
        }

        var sender = services.GetRequiredService<DigestSender>();
        var round = await sender.SendDueAsync(published.ToDictionary(p => p.Id, StringComparer.Ordinal), Reporter(progress, "sending digests"), cancellationToken);
        progress?.Clear();
        await stdout.WriteLineAsync($"sent {QueuedMailDelivery.Count(round.Sent, "digest")} to {services.GetRequiredService<Mail.IMailTransport>().Describe()}" +
            $"; {round.Skipped} skipped, {round.Failed} failed");
        var waiting = (await ledger.RunsAsync(100, cancellationToken)).Sum(r => r.Pending);
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
        await stdout.WriteLineAsync($"{"RUN",-28} {"STARTED",-17} {"SENT",7} {"SKIPPED",8} {"FAILED",7} {"PENDING",8}");
        foreach (var run in runs)
            await stdout.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"{run.Key,-28} {run.CreatedAt.UtcDateTime:yyyy-MM-dd HH:mm}  {run.Sent,7} {run.Skipped,8} {run.Failed,7} {run.Pending,8}{(run.Planned ? "" : "  (planning interrupted)")}"));
        return BlogCli.Ok;
    }

    public static async Task<int> RetryAsync(IServiceProvider services, CliArguments args, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        var key = args.Positionals[0];
        var now = services.GetRequiredService<TimeProvider>().GetUtcNow();
        var count = await services.GetRequiredService<IDigestLedger>().RetryFailedAsync(key, now, cancellationToken);
        if (count is null) return await SubscriberCommands.FailAsync(stderr, $"there is no run \"{key}\"; 'blog digest status' lists them");
        await stdout.WriteLineAsync($"re-queued {QueuedMailDelivery.Count(count.Value, "failed delivery")} of {key}; 'blog digest send' sends them");
        return BlogCli.Ok;
    }

    private static ImmutableArray<Post> Published(IServiceProvider services, DateTimeOffset now)
    {
        try
        {
            return services.GetRequiredService<PostStore>().Load().Published(now);
        }
        catch (PostStoreException)
        {
            return [];
        }
    }

    private static Progress<int>? Reporter(TerminalProgress? progress, string what) =>
        progress is null ? null : new Progress<int>(n => progress.Report(string.Create(CultureInfo.InvariantCulture, $"{what}: {n}")));
}

using System.CommandLine;
using Blog.Feedback;
using Blog.Mail;
using Blog.Posts;
using Blog.MailingList;
using Blog.Subscriptions;

namespace Blog.Cli;

/// <summary><c>blog subscribers add|list|remove|forget</c>: each a few store calls and a line of output.</summary>
internal static class SubscriberCommands
{
    public static async Task<int> AddAsync(IServiceProvider services, ParseResult args, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        var text = args.GetRequiredValue(CliSymbols.Email);
        if (!EmailAddress.TryParse(text, out var address, out var error)) return await FailAsync(stderr, $"EMAIL: {error} (value: {PostProblem.Quote(text)})");
        var choices = services.GetRequiredService<SubscriptionChoices>();
        if (choices.CheckCadence(args.GetValue(CliSymbols.Cadence), out var cadence) is { } cadenceError) return await FailAsync(stderr, $"--cadence: {cadenceError}");
        if (choices.CheckTags((args.GetValue(CliSymbols.Tags) ?? "").Split(','), out var tags) is { } tagError) return await FailAsync(stderr, $"--tags: {tagError}");

        var store = services.GetRequiredService<ISubscriberStore>();
        var confirmed = args.GetValue(CliSymbols.Confirmed);
        var now = services.GetRequiredService<TimeProvider>().GetUtcNow();
        var confirmation = services.GetRequiredService<ConfirmationMail>();
        var draft = new SubscriberDraft(address, tags, cadence, confirmed ? SubscriberStatus.Active : SubscriberStatus.Pending);
        var result = await store.ImportAsync([draft], now, confirmed ? null : s => confirmation.For(s, now), null, cancellationToken);
        var subscriber = await store.FindAsync(address, cancellationToken);
        if (result.Suppressed > 0) return await FailAsync(stderr, $"{address} was erased after a spam complaint and is kept off the list; nothing changed");
        if (result.Added == 0) return await FailAsync(stderr, SubscriberOutput.AlreadyListed(subscriber!));
        await stdout.WriteLineAsync($"added {SubscriberOutput.Describe(subscriber!)}");
        await QueuedMailDelivery.SendAsync(services, result.ConfirmationsQueued, stdout, stderr, cancellationToken);
        return BlogCli.Ok;
    }

    public static async Task<int> ListAsync(IServiceProvider services, ParseResult args, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        SubscriberStatus? only = null;
        if (args.GetValue(CliSymbols.Status) is { } text)
        {
            if (!SubscriberStatusText.TryParse(text.Trim().ToLowerInvariant(), out var status))
                return await FailAsync(stderr, $"--status: unknown status; the statuses are {string.Join(", ", SubscriberStatusText.All)} (value: {PostProblem.Quote(text)})");
            only = status;
        }
        var store = services.GetRequiredService<ISubscriberStore>();
        await stdout.WriteLineAsync(SubscriberOutput.Header);
        // Each subscriber's newest event, read beside the list in id order as the export does, so neither sits in memory.
        await using (var events = services.GetRequiredService<IFeedbackStore>().LatestAsync(cancellationToken).GetAsyncEnumerator(cancellationToken))
        {
            var more = await events.MoveNextAsync();
            await foreach (var subscriber in store.ListAsync(cancellationToken))
            {
                while (more && events.Current.SubscriberId < subscriber.Id) more = await events.MoveNextAsync();
                var last = more && events.Current.SubscriberId == subscriber.Id ? events.Current : null;
                if (only is null || subscriber.Status == only) await stdout.WriteLineAsync(SubscriberOutput.Line(subscriber, last));
            }
        }
        await stdout.WriteLineAsync(SubscriberOutput.Counts(await store.CountAsync(cancellationToken)));
        var outbox = await services.GetRequiredService<IMailOutbox>().CountAsync(cancellationToken);
        if (outbox.Pending + outbox.Failed > 0)
            await stdout.WriteLineAsync($"mail queue: {outbox.Pending} waiting to be sent, {outbox.Failed} failed for good (see the log for why)");
        return BlogCli.Ok;
    }

    public static async Task<int> RemoveAsync(IServiceProvider services, ParseResult args, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        var store = services.GetRequiredService<ISubscriberStore>();
        var found = await FindAsync(store, args.GetRequiredValue(CliSymbols.Email), stderr, cancellationToken);
        if (found is null) return BlogCli.Problems;
        var now = services.GetRequiredService<TimeProvider>().GetUtcNow();
        var subscriber = await store.UnsubscribeAsync(found.Id, now, cancellationToken);
        await stdout.WriteLineAsync($"unsubscribed {SubscriberOutput.Describe(subscriber!)}; 'blog subscribers forget {found.Address}' erases the record");
        return BlogCli.Ok;
    }

    public static async Task<int> ForgetAsync(IServiceProvider services, ParseResult args, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        var store = services.GetRequiredService<ISubscriberStore>();
        var found = await FindAsync(store, args.GetRequiredValue(CliSymbols.Email), stderr, cancellationToken);
        if (found is null) return BlogCli.Problems;
        await store.ForgetAsync(EmailAddress.Parse(found.Address), cancellationToken);
        await stdout.WriteLineAsync($"erased {found.Address} and its mail history");
        return BlogCli.Ok;
    }

    /// <summary>The subscriber an argument names, or null once the reason is written (<paramref name="what"/> names the argument).</summary>
    internal static async Task<Subscriber?> FindAsync(ISubscriberStore store, string text, TextWriter stderr, CancellationToken cancellationToken, string what = "EMAIL")
    {
        if (!EmailAddress.TryParse(text, out var address, out var error))
        {
            await FailAsync(stderr, $"{what}: {error} (value: {PostProblem.Quote(text)})");
            return null;
        }
        var subscriber = await store.FindAsync(address, cancellationToken);
        if (subscriber is null) await FailAsync(stderr, $"{address} is not on the list");
        return subscriber;
    }

    internal static async Task<int> FailAsync(TextWriter stderr, string message)
    {
        await stderr.WriteLineAsync($"blog: {message}");
        return BlogCli.Problems;
    }
}

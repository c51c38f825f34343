using System.Globalization;
using Blog.Posts;
using Blog.MailingList;

namespace Blog.Digests;

/// <summary>
/// Plans a run: opens it in the ledger and writes every active subscriber's delivery of that cadence, in batches,
/// before anything is sent. Planning again after a crash continues where it stopped: deliveries already written stay.
/// A run that is already fully planned is left as it is.
/// </summary>
public sealed class DigestRuns(ISubscriberStore store, IDigestLedger ledger, IPublicationLog publications, DigestMail mail, IOptions<DigestsOptions> options)
{
    private const int BatchSize = 500;

    /// <summary>
    /// A scheduled run is keyed by its exact scheduled fire time, in UTC (<c>weekly/2026-03-02T08:00:00Z</c>): a
    /// catch-up fire after downtime, and every node of a cluster, name the same run, and an hourly cadence has a run
    /// an hour. UTC, not the cadence's zone, so the hour a clock goes back does not name two fires alike.
    /// </summary>
    public static string ScheduledKey(string cadence, DateTimeOffset fireTime) =>
        $"{cadence}/{fireTime.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)}";

    /// <summary>Every manual send is a run of its own (<c>weekly/manual-2026-03-02T08:00:13.123Z</c>); <paramref name="attempt"/> tells apart two in one millisecond.</summary>
    public static string ManualKey(string cadence, DateTimeOffset now, int attempt = 0) =>
        $"{cadence}/manual-{now.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture)}{(attempt > 0 ? $"-{attempt + 1}" : "")}";

    /// <summary>Opens a new manual run of <paramref name="cadence"/> and plans it.</summary>
    public async Task<RunPlan> PlanManualAsync(string cadence, DateTimeOffset now, ImmutableArray<Post> publishedNewestFirst, IProgress<int>? progress,
        CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            var key = ManualKey(cadence, now, attempt);
            if (await ledger.OpenRunAsync(key, cadence, now, cancellationToken) == RunOpening.Created)
                return await PlanOpenedAsync(key, cadence, RunOpening.Created, now, publishedNewestFirst, progress, cancellationToken);
        }
    }

    /// <summary>Opens the run unless it exists and plans what is not planned yet: all of a new run, the rest of an interrupted one, nothing of a planned one.</summary>
    public async Task<RunPlan> PlanAsync(string key, string cadence, DateTimeOffset now, ImmutableArray<Post> publishedNewestFirst,
        IProgress<int>? progress, CancellationToken cancellationToken)
    {
        var opening = await ledger.OpenRunAsync(key, cadence, now, cancellationToken);
        if (opening == RunOpening.Planned) return new RunPlan(key, opening, 0, 0);
        return await PlanOpenedAsync(key, cadence, opening, now, publishedNewestFirst, progress, cancellationToken);
    }

    private async Task<RunPlan> PlanOpenedAsync(string key, string cadence, RunOpening opening, DateTimeOffset now, ImmutableArray<Post> publishedNewestFirst,
        IProgress<int>? progress, CancellationToken cancellationToken)
    {
        var posts = await PublicAsync(publishedNewestFirst, now, cancellationToken);
        var batch = new List<PlannedDelivery>(BatchSize);
        int count = 0, withPosts = 0;
        await foreach (var subscriber in store.ListAsync(cancellationToken))
        {
            if (subscriber.Status != SubscriberStatus.Active || subscriber.Cadence != cadence) continue;
            var plan = Plan(now, posts, subscriber);
            batch.Add(new PlannedDelivery(subscriber.Id, [.. plan.Posts.Select(p => p.Id)], plan.Watermark, mail.MessageId(key, subscriber.Id), plan.More)
                { PlannedAfter = subscriber.Watermark });
            if (batch.Count == BatchSize)
            {
                await ledger.AddAsync(key, batch, now, cancellationToken);
                batch.Clear();
            }
            count++;
            if (!plan.IsEmpty) withPosts++;
            progress?.Report(count);
        }
        if (batch.Count > 0) await ledger.AddAsync(key, batch, now, cancellationToken);
        await ledger.MarkPlannedAsync(key, now, cancellationToken);
        return new RunPlan(key, opening, count, withPosts);
    }

    /// <summary>What <paramref name="subscriber"/>'s next digest would hold now (for the preview and for planning alike).</summary>
    public DigestPlan Plan(DateTimeOffset now, ImmutableArray<PublicPost> newestFirst, Subscriber subscriber) =>
        DigestPlanner.Plan(now, newestFirst, subscriber, options.Value.CoolOff, options.Value.MaxPosts);

    /// <summary>The published posts, each with when it was first seen public (recording any not seen before).</summary>
    public async Task<ImmutableArray<PublicPost>> PublicAsync(ImmutableArray<Post> publishedNewestFirst, DateTimeOffset now, CancellationToken cancellationToken) =>
        PublicPost.NewestFirst(publishedNewestFirst, await publications.ObserveAsync(publishedNewestFirst, now, options.Value.CoolOff, cancellationToken));
}

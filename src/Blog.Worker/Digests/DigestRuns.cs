using System.Globalization;
using Blog.Posts;
using Blog.Subscribers;

namespace Blog.Digests;

/// <summary>
/// Plans a run: opens it in the ledger and writes every active subscriber's delivery of that cadence, in batches,
/// before anything is sent. Planning again after a crash continues where it stopped: deliveries already written stay.
/// </summary>
public sealed class DigestRuns(ISubscriberStore store, IDigestLedger ledger, DigestMail mail, IOptions<DigestsOptions> options)
{
    private const int BatchSize = 500;

    /// <summary><c>weekly/2026-03-02</c> for a scheduled run (one a day at most); a manual run adds the minute.</summary>
    public string KeyFor(string cadence, DateTimeOffset time, bool manual)
    {
        var local = TimeZoneInfo.ConvertTime(time, TimeZoneInfo.FindSystemTimeZoneById(options.Value.TimeZone));
        var format = manual ? "yyyy-MM-dd'T'HH:mm" : "yyyy-MM-dd";
        return $"{cadence}/{local.ToString(format, CultureInfo.InvariantCulture)}";
    }

    /// <returns>How many subscribers the run covers.</returns>
    public async Task<int> PlanAsync(string key, string cadence, DateTimeOffset now, ImmutableArray<Post> publishedNewestFirst,
        IProgress<int>? progress, CancellationToken cancellationToken)
    {
        await ledger.OpenRunAsync(key, cadence, now, cancellationToken);
        var batch = new List<PlannedDelivery>(BatchSize);
        var count = 0;
        await foreach (var subscriber in store.ListAsync(cancellationToken))
        {
            if (subscriber.Status != SubscriberStatus.Active || subscriber.Cadence != cadence) continue;
            var posts = DigestPlanner.Plan(now, publishedNewestFirst, subscriber, options.Value.CoolOff);
            batch.Add(new PlannedDelivery(subscriber.Id, [.. posts.Select(p => p.Id)], posts.IsEmpty ? null : posts[^1].Published,
                mail.MessageId(key, subscriber.Id)));
            if (batch.Count == BatchSize)
            {
                await ledger.AddAsync(key, batch, now, cancellationToken);
                batch.Clear();
            }
            count++;
            progress?.Report(count);
        }
        if (batch.Count > 0) await ledger.AddAsync(key, batch, now, cancellationToken);
        await ledger.MarkPlannedAsync(key, now, cancellationToken);
        return count;
    }
}

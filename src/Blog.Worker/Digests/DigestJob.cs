using Blog.Posts;
using Quartz;

namespace Blog.Digests;

/// <summary>
/// Quartz's job for one cadence: plans the run its trigger fired for, then wakes the sender. The run is keyed by the
/// scheduled fire time, so a catch-up fire after downtime plans the fire that was missed, and a second fire for the
/// same time (a restart, another node) finds that run and plans nothing again.
/// </summary>
[DisallowConcurrentExecution]
internal sealed partial class DigestJob(DigestRuns runs, PublishedPosts posts, DigestSender sender, TimeProvider time, ILogger<DigestJob> logger) : IJob
{
    public const string CadenceKey = "cadence";

    /// <summary>In a fire's data: a "send now" from the console, planned as a manual run of its own (<see cref="DigestRuns.ManualKey"/>).</summary>
    public const string ManualKey = "manual";

    /// <summary>The cadence's job in the scheduler: triggering it there, not here, lets a cluster run the fire once.</summary>
    public static JobKey Key(string cadence) => new($"digest-{cadence}", "digests");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        var cadence = context.MergedJobDataMap.GetString(CadenceKey) ?? throw new JobExecutionException("the digest job has no cadence");
        var key = DigestRuns.ScheduledKey(cadence, context.ScheduledFireTimeUtc ?? context.FireTimeUtc);
        var snapshot = await posts.SnapshotAsync(cancellationToken);
        var now = time.GetUtcNow();
        var plan = context.MergedJobDataMap.ContainsKey(ManualKey)
            ? await runs.PlanManualAsync(cadence, now, snapshot.Published(now), null, cancellationToken)
            : await runs.PlanAsync(key, cadence, now, snapshot.Published(now), null, cancellationToken);
        key = plan.Key;
        switch (plan.Opening)
        {
            case RunOpening.Created:
                Log.Planned(logger, key, plan.Subscribers, plan.WithPosts);
                break;
            case RunOpening.Unplanned:
                Log.Resumed(logger, key, plan.Subscribers, plan.WithPosts);
                break;
            default:
                Log.AlreadyPlanned(logger, key);
                break;
        }
        sender.Wake();
    }

    private static partial class Log
    {
        [LoggerMessage(LogEvents.DigestJob.Planned, LogLevel.Information, "Digest run {Run} planned for {Subscribers} subscribers ({WithPosts} with new posts)")]
        public static partial void Planned(ILogger logger, string run, int subscribers, int withPosts);

        [LoggerMessage(LogEvents.DigestJob.Resumed, LogLevel.Information, "Digest run {Run} already existed, its planning interrupted: planned the rest, {Subscribers} subscribers ({WithPosts} with new posts)")]
        public static partial void Resumed(ILogger logger, string run, int subscribers, int withPosts);

        [LoggerMessage(LogEvents.DigestJob.AlreadyPlanned, LogLevel.Information, "Digest run {Run} already existed and was planned: nothing planned again; its pending deliveries go on")]
        public static partial void AlreadyPlanned(ILogger logger, string run);
    }
}

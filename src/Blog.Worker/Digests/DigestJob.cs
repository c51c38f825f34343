using Blog.Posts;
using Quartz;

namespace Blog.Digests;

/// <summary>
/// Quartz's job for one cadence: plans the run its trigger fired for, then wakes the sender. The run key comes from
/// the scheduled fire time, so a catch-up fire after downtime plans the run that was missed, and a second fire for
/// the same day finds that run already planned and adds nothing.
/// </summary>
[DisallowConcurrentExecution]
internal sealed partial class DigestJob(DigestRuns runs, PostStore posts, DigestSender sender, TimeProvider time, ILogger<DigestJob> logger) : IJob
{
    public const string CadenceKey = "cadence";

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        var cadence = context.MergedJobDataMap.GetString(CadenceKey) ?? throw new JobExecutionException("the digest job has no cadence");
        var key = runs.KeyFor(cadence, context.ScheduledFireTimeUtc ?? context.FireTimeUtc, manual: false);
        var now = time.GetUtcNow();
        var subscribers = await runs.PlanAsync(key, cadence, now, posts.Load(cancellationToken: cancellationToken).Published(now), null, cancellationToken);
        Log.Planned(logger, key, subscribers);
        sender.Wake();
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "Digest run {Run} planned for {Subscribers} subscribers")]
        public static partial void Planned(ILogger logger, string run, int subscribers);
    }
}

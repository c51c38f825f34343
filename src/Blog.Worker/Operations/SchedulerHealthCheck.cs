using Microsoft.Extensions.Diagnostics.HealthChecks;
using Quartz;

namespace Blog.Operations;

/// <summary>Ready once the digest scheduler has started (and until it shuts down): before that no digest goes out.</summary>
internal sealed class SchedulerHealthCheck(ISchedulerFactory schedulers) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var scheduler = await schedulers.GetScheduler(cancellationToken);
        return await scheduler.GetStatus(cancellationToken) switch
        {
            SchedulerStatus.Running => HealthCheckResult.Healthy($"the digest scheduler runs (node {await scheduler.GetSchedulerInstanceId(cancellationToken)})"),
            SchedulerStatus.Created or SchedulerStatus.Standby => HealthCheckResult.Unhealthy("the digest scheduler has not started yet"),
            var status => HealthCheckResult.Unhealthy($"the digest scheduler is {status.ToString().ToLowerInvariant()}"),
        };
    }
}

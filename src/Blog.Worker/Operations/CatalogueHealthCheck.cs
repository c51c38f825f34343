using System.Globalization;
using Blog.Serving;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Blog.Operations;

/// <summary>
/// Ready once the post catalogue has been built and published, and while its folder can be read. An output folder
/// that cannot be written does not stop serving, so it only degrades.
/// </summary>
internal sealed class CatalogueHealthCheck(SiteHolder holder) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var site = holder.Current;
        var built = string.Create(CultureInfo.InvariantCulture, $"{site.Posts} posts, {site.Problems.Length} problems, built {site.BuiltAt:yyyy-MM-dd HH:mm:ss}Z");
        var result = ReferenceEquals(site, PublishedSite.Empty) ? HealthCheckResult.Unhealthy("the posts have not been read yet")
            : site.StoreError is not null ? HealthCheckResult.Unhealthy($"the post folder cannot be read: {site.StoreError}; the last good feeds are served ({built})")
            : site.OutputError is not null ? HealthCheckResult.Degraded($"the output folder cannot be written: {site.OutputError} ({built})")
            : HealthCheckResult.Healthy(built);
        return Task.FromResult(result);
    }
}

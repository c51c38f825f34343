using Blog.Storage;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Blog.Operations;

/// <summary>Ready when the database answers a trivial query: subscribers, the outbox and the schedule all live there.</summary>
internal sealed class DatabaseHealthCheck(Database database) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var connection = await database.OpenAsync(cancellationToken);
            await using var command = connection.Command("SELECT 1");
            await command.ExecuteScalarAsync(cancellationToken);
            return HealthCheckResult.Healthy($"{database.Name} answers");
        }
        catch (Exception e) when (Database.IsDriverError(e) || e is TimeoutException or InvalidOperationException or StorageException)
        {
            // The console shows this to the owner; the public answer never does.
            return HealthCheckResult.Unhealthy($"{database.Name} does not answer: {e.Message}");
        }
    }
}

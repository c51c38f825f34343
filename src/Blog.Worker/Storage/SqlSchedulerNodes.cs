using System.Data.Common;
using Blog.Digests;

namespace Blog.Storage;

/// <summary>
/// Reads Quartz's own table of cluster check-ins (<c>qrtz_scheduler_state</c>, the default table prefix, which
/// <c>DigestScheduleServiceCollectionExtensions</c> keeps). Quartz keeps the time as UTC ticks and the interval in
/// milliseconds.
/// </summary>
public sealed class SqlSchedulerNodes(Database database) : ISchedulerNodes
{
    private const int MaxNodes = 100;

    public async Task<IReadOnlyList<SchedulerNode>> NodesAsync(CancellationToken cancellationToken)
    {
        if (database.Dialect == SqlDialect.Sqlite) return [];
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var exists = connection.Command("SELECT to_regclass('qrtz_scheduler_state') IS NOT NULL");
        // Quartz creates its tables when the scheduler first starts: until then there is no node to show.
        if (await exists.ExecuteScalarAsync(cancellationToken) is not true) return [];
        await using var command = connection.Command(
            "SELECT instance_name, last_checkin_time, checkin_interval FROM qrtz_scheduler_state ORDER BY instance_name LIMIT @max", null, ("@max", MaxNodes));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var nodes = new List<SchedulerNode>();
        while (await reader.ReadAsync(cancellationToken))
            nodes.Add(new SchedulerNode(reader.GetString(0), new DateTimeOffset(Long(reader, 1), TimeSpan.Zero), TimeSpan.FromMilliseconds(Long(reader, 2))));
        return nodes;
    }

    private static long Long(DbDataReader reader, int ordinal) => Convert.ToInt64(reader.GetValue(ordinal), System.Globalization.CultureInfo.InvariantCulture);
}

namespace Blog.Digests;

/// <summary>
/// The nodes of the digest scheduler's cluster, as Quartz records them in the database (PostgreSQL only: a single
/// SQLite node is no cluster, and Quartz records no check-ins for it).
/// </summary>
public interface ISchedulerNodes
{
    /// <summary>Each node that has checked in, by name; none on SQLite, or before the scheduler first started.</summary>
    Task<IReadOnlyList<SchedulerNode>> NodesAsync(CancellationToken cancellationToken);
}

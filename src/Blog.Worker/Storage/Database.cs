using System.Data.Common;

namespace Blog.Storage;

/// <summary>
/// The database the stores share: the SQLite file (one machine) or PostgreSQL (several nodes). The stores write one
/// SQL for both; what differs is how a connection is had, how a writer is serialised and the few words of
/// <see cref="SqlDialect"/>.
/// </summary>
public abstract class Database : IDisposable
{
    private readonly SemaphoreSlim migrate = new(1, 1);
    private volatile bool migrated;

    /// <summary>What to call the database in a message: the file's path, or the server and database name.</summary>
    public abstract string Name { get; }

    public abstract SqlDialect Dialect { get; }

    /// <summary>The newest schema version this program knows.</summary>
    public abstract int SchemaVersion { get; }

    /// <summary>The case duplicates this process's upgrade merged (schema version 4), to report.</summary>
    public IReadOnlyList<CaseMerge> CaseMerges { get; private set; } = [];

    /// <summary>An open connection, the schema migrated first; the caller disposes it.</summary>
    public abstract Task<DbConnection> OpenAsync(CancellationToken cancellationToken);

    /// <summary>Creates or upgrades the schema, once a process. The service calls it at start, so a bad database stops it there.</summary>
    public async Task MigrateAsync(CancellationToken cancellationToken)
    {
        if (migrated) return;
        await migrate.WaitAsync(cancellationToken);
        try
        {
            if (migrated) return;
            await MigrateSchemaAsync(cancellationToken);
            migrated = true;
        }
        finally
        {
            migrate.Release();
        }
    }

    protected abstract Task MigrateSchemaAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Runs the scripts after <paramref name="version"/>, each in a transaction with the statement that records its
    /// version, so a crash leaves the old version or the new, never half. A database newer than this program is refused.
    /// </summary>
    /// <param name="merged">Told each group of case duplicates that version 4 merged (also kept in <see cref="CaseMerges"/>).</param>
    protected async Task UpgradeAsync(DbConnection connection, long version, ImmutableArray<string> scripts, Func<int, string> recordVersion,
        Action<int> upgraded, Action<CaseMerge> merged, CancellationToken cancellationToken)
    {
        if (version > scripts.Length)
            throw new SchemaTooNewException($"{Name} has schema version {version}, but this blog knows versions up to {scripts.Length}. " +
                "It was written by a newer blog; run that version (on every node), or restore a backup.");
        // Found before the script merges them, so the upgrade can say whom it merged.
        var merges = await CaseDuplicates.FindAsync(connection, version, cancellationToken);
        for (var v = (int)version; v < scripts.Length; v++)
        {
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            if (v == version) await PruneOrphansAsync(connection, transaction, cancellationToken);
            await using var command = connection.Command(scripts[v] + "\n" + recordVersion(v + 1), transaction);
            await command.ExecuteNonQueryAsync(cancellationToken);
            await VerifyAsync(connection, transaction, v + 1, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            upgraded(v + 1);
        }
        foreach (var merge in merges) merged(merge);
        CaseMerges = merges;
    }

    /// <summary>
    /// Before the first script, in its transaction: removes rows that already pointed at a missing row, as the cascade
    /// would have, so <see cref="VerifyAsync"/> refuses only what the scripts themselves break.
    /// </summary>
    protected virtual Task PruneOrphansAsync(DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Checks what a version's script left, before it commits; throws to roll it back.</summary>
    protected virtual Task VerifyAsync(DbConnection connection, DbTransaction transaction, int version, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>A connection to write on, until the turn is disposed. <paramref name="crashSafeOnly"/>: see <see cref="SqliteDatabase"/>.</summary>
    public abstract Task<WriteTurn> WriterAsync(CancellationToken cancellationToken, bool crashSafeOnly = false);

    /// <summary>
    /// A transaction for a read-then-write that must not interleave with another of its kind (two sign-ups for one
    /// address). SQLite takes the write lock at once, which excludes every other writer; PostgreSQL locks
    /// <paramref name="key"/> until the transaction ends, when there is one.
    /// </summary>
    public abstract Task<DbTransaction> BeginGuardedAsync(DbConnection connection, string? key, CancellationToken cancellationToken);

    /// <summary>
    /// The database is unreachable or its driver refused the statement: worth trying again, and a 503 meanwhile. Not a
    /// schema too new (<see cref="SchemaTooNewException"/>) nor bad data, which trying again cannot mend.
    /// </summary>
    public static bool IsDriverError(Exception e) => e is DatabaseUnreachableException or DbException;

    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing)
    {
        if (disposing) migrate.Dispose();
    }

    /// <summary>The write connection, until disposed; do not dispose the connection itself.</summary>
    public sealed class WriteTurn(DbConnection connection, Action release) : IDisposable
    {
        private int released;

        public DbConnection Connection { get; } = connection;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref released, 1) == 0) release();
        }
    }
}

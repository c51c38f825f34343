using System.Data.Common;
using Npgsql;

namespace Blog.Storage;

/// <summary>
/// PostgreSQL, shared by every node of a cluster (<c>Storage:Provider = Postgres</c>). Connections come from one pool;
/// writers need no turn-taking, since the server locks rows and claims skip what another node holds. Migrations run
/// under an advisory lock, so nodes starting together upgrade the schema once.
/// </summary>
public sealed partial class PostgresDatabase : Database
{
    // Any constant will do, so long as nothing else in the database takes the same advisory lock.
    private const long MigrationLock = 0x626c6f67_6d696772;
    private readonly NpgsqlDataSource source;
    private readonly SemaphoreSlim migrate = new(1, 1);
    private readonly ILogger<PostgresDatabase> logger;
    private volatile bool ready;

    public PostgresDatabase(IOptions<StorageOptions> options, ILogger<PostgresDatabase> logger)
    {
        this.logger = logger;
        var builder = new NpgsqlConnectionStringBuilder(options.Value.ConnectionString);
        Name = $"PostgreSQL database \"{builder.Database}\" on {builder.Host}:{builder.Port}";
        // The slim builder: only the plain types this schema uses, which keeps the Native AOT build clean.
        source = new NpgsqlSlimDataSourceBuilder(options.Value.ConnectionString).Build();
    }

    public override string Name { get; }

    public override SqlDialect Dialect => SqlDialect.Postgres;

    public override int SchemaVersion => PostgresMigrations.Scripts.Length;

    public override async Task<DbConnection> OpenAsync(CancellationToken cancellationToken)
    {
        if (!ready) await MigrateAsync(cancellationToken);
        return await ConnectAsync(cancellationToken);
    }

    public override async Task<WriteTurn> WriterAsync(CancellationToken cancellationToken, bool crashSafeOnly = false)
    {
        var connection = await OpenAsync(cancellationToken);
        return new WriteTurn(connection, connection.Dispose);
    }

    /// <summary>READ COMMITTED; the statements that must not interleave take <see cref="SqlDialect.LockKey"/> first.</summary>
    public override async Task<DbTransaction> BeginGuardedAsync(DbConnection connection, CancellationToken cancellationToken) =>
        await connection.BeginTransactionAsync(System.Data.IsolationLevel.ReadCommitted, cancellationToken);

    public override async Task MigrateAsync(CancellationToken cancellationToken)
    {
        await migrate.WaitAsync(cancellationToken);
        try
        {
            if (ready) return;
            await using var connection = await ConnectAsync(cancellationToken);
            await ExecuteAsync(connection, $"SELECT pg_advisory_lock({MigrationLock})", cancellationToken);
            try
            {
                await ExecuteAsync(connection, "CREATE TABLE IF NOT EXISTS blog_schema (version integer NOT NULL)", cancellationToken);
                await using (var read = new NpgsqlCommand("SELECT COALESCE(MAX(version), 0) FROM blog_schema", (NpgsqlConnection)connection))
                {
                    var version = Convert.ToInt32(await read.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
                    if (version > SchemaVersion)
                        throw new StorageException($"{Name} has schema version {version}, but this blog knows versions up to {SchemaVersion}. " +
                            "It was written by a newer blog; run that version on every node.");
                    for (var v = version; v < SchemaVersion; v++)
                    {
                        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
                        // The version moves in the same transaction as the script: a crash leaves the old version or the new, never half.
                        await using var command = new NpgsqlCommand(
                            PostgresMigrations.Scripts[v] + $"\nDELETE FROM blog_schema; INSERT INTO blog_schema (version) VALUES ({v + 1});",
                            (NpgsqlConnection)connection, (NpgsqlTransaction)transaction);
                        await command.ExecuteNonQueryAsync(cancellationToken);
                        await transaction.CommitAsync(cancellationToken);
                        Log.Migrated(logger, Name, v + 1);
                    }
                }
            }
            finally
            {
                await ExecuteAsync(connection, $"SELECT pg_advisory_unlock({MigrationLock})", CancellationToken.None);
            }
            ready = true;
        }
        catch (NpgsqlException e)
        {
            throw new StorageException($"cannot use the {Name}: {e.Message}", e);
        }
        finally
        {
            migrate.Release();
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            source.Dispose();
            migrate.Dispose();
        }
        base.Dispose(disposing);
    }

    private async Task<DbConnection> ConnectAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await source.OpenConnectionAsync(cancellationToken);
        }
        catch (NpgsqlException e)
        {
            throw new StorageException($"cannot connect to the {Name}: {e.Message}", e);
        }
    }

    private static async Task ExecuteAsync(DbConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, (NpgsqlConnection)connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "{Database} is at schema version {Version}")]
        public static partial void Migrated(ILogger logger, string database, int version);
    }
}

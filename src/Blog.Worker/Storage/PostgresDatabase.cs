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
    private readonly ILogger<PostgresDatabase> logger;

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
        await MigrateAsync(cancellationToken);
        return await ConnectAsync(cancellationToken);
    }

    public override async Task<WriteTurn> WriterAsync(CancellationToken cancellationToken, bool crashSafeOnly = false)
    {
        var connection = await OpenAsync(cancellationToken);
        return new WriteTurn(connection, connection.Dispose);
    }

    /// <summary>READ COMMITTED, holding an advisory lock on <paramref name="key"/> until it ends.</summary>
    public override async Task<DbTransaction> BeginGuardedAsync(DbConnection connection, string? key, CancellationToken cancellationToken)
    {
        var transaction = await connection.BeginTransactionAsync(System.Data.IsolationLevel.ReadCommitted, cancellationToken);
        if (key is null) return transaction;
        try
        {
            await using var command = connection.Command("SELECT pg_advisory_xact_lock(hashtext(@key))", transaction, ("@key", key));
            await command.ExecuteNonQueryAsync(cancellationToken);
            return transaction;
        }
        catch
        {
            await transaction.DisposeAsync();
            throw;
        }
    }

    protected override async Task MigrateSchemaAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = await ConnectAsync(cancellationToken);
            await ExecuteAsync(connection, $"SELECT pg_advisory_lock({MigrationLock})", cancellationToken);
            try
            {
                await ExecuteAsync(connection, "CREATE TABLE IF NOT EXISTS blog_schema (version integer NOT NULL)", cancellationToken);
                await using var read = connection.Command("SELECT COALESCE(MAX(version), 0) FROM blog_schema");
                var version = Convert.ToInt64(await read.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
                // Under the migration lock: a node starting at the same time waits, then finds nothing left to merge.
                await UpgradeAsync(connection, version, PostgresMigrations.Scripts,
                    v => $"DELETE FROM blog_schema; INSERT INTO blog_schema (version) VALUES ({v});", v => Log.Migrated(logger, Name, v),
                    merge => Log.Merged(logger, Name, merge.ToString()), cancellationToken);
            }
            finally
            {
                await ExecuteAsync(connection, $"SELECT pg_advisory_unlock({MigrationLock})", CancellationToken.None);
            }
        }
        catch (NpgsqlException e)
        {
            throw new DatabaseUnreachableException($"cannot use the {Name}: {e.Message}", e);
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            source.Dispose();
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
            throw new DatabaseUnreachableException($"cannot connect to the {Name}: {e.Message}", e);
        }
    }

    private static async Task ExecuteAsync(DbConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.Command(sql);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static partial class Log
    {
        [LoggerMessage(LogEvents.PostgresDatabase.Migrated, LogLevel.Information, "{Database} is at schema version {Version}")]
        public static partial void Migrated(ILogger logger, string database, int version);

        [LoggerMessage(LogEvents.PostgresDatabase.Merged, LogLevel.Warning, "{Database}: addresses that differ only in case are one subscriber now: {Merge}")]
        public static partial void Merged(ILogger logger, string database, string merge);
    }
}

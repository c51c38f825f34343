using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace Blog.Storage;

/// <summary>
/// The SQLite file in the data folder. The first connection creates the folder and the file, turns on WAL and brings
/// the schema to the newest version; a file written by a newer version of this program is refused, not guessed at.
/// </summary>
public sealed partial class SqliteDatabase(IOptions<StorageOptions> options, ILogger<SqliteDatabase> logger) : Database
{
    private readonly SemaphoreSlim writer = new(1, 1);
    private SqliteConnection? writeConnection;
    private bool writeRelaxed;

    public string Path => options.Value.DatabasePath;

    public override string Name => Path;

    public override SqlDialect Dialect => SqlDialect.Sqlite;

    public override int SchemaVersion => SqliteMigrations.Scripts.Length;

    public override async Task<DbConnection> OpenAsync(CancellationToken cancellationToken) => await OpenSqliteAsync(cancellationToken);

    private async Task<SqliteConnection> OpenSqliteAsync(CancellationToken cancellationToken)
    {
        await MigrateAsync(cancellationToken);
        return await ConnectAsync(cancellationToken);
    }

    /// <summary>BEGIN IMMEDIATE: the write lock from the first statement, so a read-then-write cannot interleave with another, whatever its key.</summary>
    public override async Task<DbTransaction> BeginGuardedAsync(DbConnection connection, string? key, CancellationToken cancellationToken) =>
        await connection.BeginTransactionAsync(System.Data.IsolationLevel.Serializable, cancellationToken);

    protected override async Task MigrateSchemaAsync(CancellationToken cancellationToken)
    {
        try
        {
            CreatePrivately(options.Value.DataPath, Path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new DatabaseUnreachableException($"cannot create the data folder {options.Value.DataPath}: {e.Message}", e);
        }
        try
        {
            await using var connection = await ConnectAsync(cancellationToken);
            await using (var wal = connection.CreateCommand())
            {
                // WAL lets the service read while a CLI import writes; it is a property of the file, set once.
                wal.CommandText = "PRAGMA journal_mode = WAL;";
                await wal.ExecuteNonQueryAsync(cancellationToken);
            }
            var version = await ScalarAsync(connection, "PRAGMA user_version;", cancellationToken);
            // Off while the scripts run, as SQLite's way of rebuilding a table needs (version 7): dropping the old table
            // must not cascade to the rows that point at it. Checked before each version commits (VerifyAsync), and on
            // again for whoever takes this pooled connection next, since every open turns it on.
            await using (var off = connection.CreateCommand())
            {
                off.CommandText = "PRAGMA foreign_keys = OFF;";
                await off.ExecuteNonQueryAsync(cancellationToken);
            }
            await UpgradeAsync(connection, version, SqliteMigrations.Scripts, v => $"PRAGMA user_version = {v};", v => Log.Migrated(logger, Path, v),
                merge => Log.Merged(logger, Path, merge.ToString()), cancellationToken);
        }
        catch (SqliteException e)
        {
            throw new DatabaseUnreachableException($"cannot use the database {Path}: {e.Message}", e);
        }
    }

    /// <summary>
    /// Rows someone left pointing at a missing row, with foreign keys off (the sqlite3 shell's default): every foreign
    /// key in the schema cascades on delete, so removing them is what the delete would have done had they been on.
    /// Named per table in the log, since the owner did not see them go. Each pass removes one level; rows that pointed
    /// at the removed ones come up on the next.
    /// </summary>
    protected override async Task PruneOrphansAsync(DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken)
    {
        while (true)
        {
            var orphans = new List<(string Table, long RowId)>();
            await using (var check = connection.Command("PRAGMA foreign_key_check;", transaction))
            await using (var reader = await check.ExecuteReaderAsync(cancellationToken))
            {
                while (await reader.ReadAsync(cancellationToken))
                {
                    // A table without rowids cannot be pruned this way; VerifyAsync refuses it as before.
                    if (await reader.IsDBNullAsync(1, cancellationToken)) return;
                    orphans.Add((reader.GetString(0), reader.GetInt64(1)));
                }
            }
            if (orphans.Count == 0) return;
            foreach (var table in orphans.GroupBy(o => o.Table, StringComparer.Ordinal))
            {
                var rowIds = table.Select(o => o.RowId).Distinct().ToList();
                foreach (var chunk in rowIds.Chunk(500))
                {
                    // Table names come from SQLite's own schema, row ids are integers: nothing here is outside text.
                    await using var delete = connection.Command(
                        $"DELETE FROM \"{table.Key}\" WHERE rowid IN ({string.Join(',', chunk.Select(id => id.ToString(System.Globalization.CultureInfo.InvariantCulture)))});",
                        transaction);
                    await delete.ExecuteNonQueryAsync(cancellationToken);
                }
                Log.OrphansRemoved(logger, Path, table.Key, rowIds.Count);
            }
        }
    }

    /// <summary>A version's script left no row pointing at a row that is not there (foreign keys are off while it runs).</summary>
    protected override async Task VerifyAsync(DbConnection connection, DbTransaction transaction, int version, CancellationToken cancellationToken)
    {
        await using var check = connection.Command("PRAGMA foreign_key_check;", transaction);
        await using var reader = await check.ExecuteReaderAsync(cancellationToken);
        if (await reader.ReadAsync(cancellationToken))
            throw new StorageException($"{Path}: upgrading to schema version {version} left a row of {reader.GetString(0)} pointing at a missing row of " +
                $"{reader.GetString(2)}; nothing was changed. Restore a backup, or report this.");
    }

    /// <summary>
    /// The data folder (0700) and an empty database file (0600) for SQLite to fill, made private by the program itself, so
    /// they are so whatever the umask, under systemd or not. SQLite gives its -wal and -shm files the database's mode.
    /// What exists already is left as its owner set it.
    /// </summary>
    private static void CreatePrivately(string folder, string file)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(folder);
            return;
        }
        if (!Directory.Exists(folder)) Directory.CreateDirectory(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        if (File.Exists(file)) return;
        try
        {
            using var created = new FileStream(file, new FileStreamOptions
            {
                Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
            });
        }
        catch (IOException) when (File.Exists(file))
        {
            // Another process made it first; it made it the same way.
        }
    }

    /// <summary>
    /// A turn with this process's one write connection. SQLite has one writer at a time; when several threads race for
    /// it, the losers sleep in SQLite's busy handler for milliseconds at a time, and a pooled connection costs its
    /// set-up statements on every open. One connection, taken in turns, costs neither. (Another process still meets
    /// the busy timeout.)
    /// </summary>
    /// <param name="crashSafeOnly">
    /// For writes that must survive a crash of the process (kill -9) but may be redone after a power cut: WAL with
    /// synchronous=NORMAL commits without an fsync. The send ledger uses it, since a lost commit there means a resend
    /// with the same Message-ID, never a lost mail; everything else keeps synchronous=FULL.
    /// </param>
    public override async Task<WriteTurn> WriterAsync(CancellationToken cancellationToken, bool crashSafeOnly = false)
    {
        await writer.WaitAsync(cancellationToken);
        try
        {
            if (writeConnection is null)
            {
                writeConnection = await OpenSqliteAsync(cancellationToken);
                writeRelaxed = false;
            }
            if (writeRelaxed != crashSafeOnly)
            {
                await using var mode = writeConnection.CreateCommand();
                mode.CommandText = crashSafeOnly ? "PRAGMA synchronous = NORMAL;" : "PRAGMA synchronous = FULL;";
                await mode.ExecuteNonQueryAsync(cancellationToken);
                writeRelaxed = crashSafeOnly;
            }
            return new WriteTurn(writeConnection, () => writer.Release());
        }
        catch
        {
            writer.Release();
            throw;
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            writeConnection?.Dispose();
            writer.Dispose();
            // Pooled connections keep the file (and its WAL) open; let go of them with the database.
            SqliteConnection.ClearAllPools();
        }
        base.Dispose(disposing);
    }

    private async Task<SqliteConnection> ConnectAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = Path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            DefaultTimeout = 30,
        }.ToString());
        try
        {
            await connection.OpenAsync(cancellationToken);
            await using var pragmas = connection.CreateCommand();
            // busy_timeout: the service and a CLI command may write at once; wait for the lock instead of failing.
            // synchronous = FULL: a committed sign-up or queued mail survives a power cut, not only a crash.
            pragmas.CommandText = "PRAGMA busy_timeout = 10000; PRAGMA foreign_keys = ON; PRAGMA synchronous = FULL;";
            await pragmas.ExecuteNonQueryAsync(cancellationToken);
            return connection;
        }
        catch (SqliteException e)
        {
            await connection.DisposeAsync();
            throw new DatabaseUnreachableException($"cannot open the database {Path}: {e.Message}", e);
        }
    }

    private static async Task<long> ScalarAsync(SqliteConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static partial class Log
    {
        [LoggerMessage(LogEvents.SqliteDatabase.Migrated, LogLevel.Information, "Database {Path} is at schema version {Version}")]
        public static partial void Migrated(ILogger logger, string path, int version);

        [LoggerMessage(LogEvents.SqliteDatabase.Merged, LogLevel.Warning, "Database {Path}: addresses that differ only in case are one subscriber now: {Merge}")]
        public static partial void Merged(ILogger logger, string path, string merge);

        [LoggerMessage(LogEvents.SqliteDatabase.OrphansRemoved, LogLevel.Warning,
            "Database {Path}: removed {Count} rows of {Table} that pointed at rows deleted with foreign keys off (as the cascade would have), before upgrading")]
        public static partial void OrphansRemoved(ILogger logger, string path, string table, int count);
    }
}

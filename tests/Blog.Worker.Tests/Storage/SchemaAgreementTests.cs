using System.Data.Common;
using Blog.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Blog.Tests.Storage;

/// <summary>
/// The two migrations describe one schema: <c>blog storage migrate</c> copies rows as they are, and every store runs the
/// same SQL on both. Read back from real databases after migration, not from the scripts, so whatever any migration
/// adds, to whichever table, is compared: tables, columns (type family, nullability), primary keys, and indexes with
/// their uniqueness.
/// </summary>
[Collection(SharedPostgres.Name)]
public sealed class SchemaAgreementTests(PostgresServer server)
{
    /// <summary>Tables one database has by design: PostgreSQL records its schema version in a table, SQLite in PRAGMA user_version.</summary>
    private static readonly string[] OwnTables = ["blog_schema"];

    [Fact]
    public async Task SQLite_and_PostgreSQL_have_the_same_tables_columns_keys_and_indexes_after_migration()
    {
        using var folder = new TempFolder();
        using var sqlite = TestSubscriptions.Database(folder.Path);
        await sqlite.MigrateAsync(CancellationToken.None);
        using var postgres = new PostgresDatabase(Options.Create(new StorageOptions { Provider = StorageOptions.Postgres, ConnectionString = await server.CreateDatabaseAsync() }),
            NullLogger<PostgresDatabase>.Instance);
        await postgres.MigrateAsync(CancellationToken.None);

        await using var sqliteConnection = await sqlite.OpenAsync(CancellationToken.None);
        await using var postgresConnection = await postgres.OpenAsync(CancellationToken.None);
        var fromSqlite = await SqliteSchemaAsync((SqliteConnection)sqliteConnection);
        var fromPostgres = await PostgresSchemaAsync(postgresConnection);

        Assert.NotEmpty(fromSqlite);
        // One line per fact, so a failure lists exactly what one database has and the other lacks.
        var onlySqlite = fromSqlite.Except(fromPostgres, StringComparer.Ordinal).ToList();
        var onlyPostgres = fromPostgres.Except(fromSqlite, StringComparer.Ordinal).ToList();
        Assert.True(onlySqlite.Count + onlyPostgres.Count == 0,
            $"the migrations disagree.\nonly in SQLite:\n  {string.Join("\n  ", onlySqlite)}\nonly in PostgreSQL:\n  {string.Join("\n  ", onlyPostgres)}");
    }

    private static async Task<List<string>> SqliteSchemaAsync(SqliteConnection connection)
    {
        var facts = new List<string>();
        var tables = await RowsAsync(connection, "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'");
        foreach (var table in tables.Select(t => (string)t[0]!).Where(t => !OwnTables.Contains(t)))
        {
            facts.Add($"table {table}");
            var key = new SortedDictionary<long, string>();
            foreach (var column in await RowsAsync(connection, $"SELECT name, type, \"notnull\", pk FROM pragma_table_info('{table}')"))
            {
                var (name, type, notNull, pk) = ((string)column[0]!, (string)column[1]!, (long)column[2]! == 1, (long)column[3]!);
                // A primary key column is never NULL in PostgreSQL; SQLite's pragma only reports what was spelled out.
                facts.Add($"column {table}.{name} {Family(type)} {(notNull || pk > 0 ? "not null" : "null")}");
                if (pk > 0) key[pk] = name;
            }
            if (key.Count > 0) facts.Add($"primary key {table}({string.Join(", ", key.Values)})");
            foreach (var index in await RowsAsync(connection, $"SELECT name, \"unique\", origin FROM pragma_index_list('{table}')"))
            {
                if ((string)index[2]! == "pk") continue;
                var columns = await RowsAsync(connection, $"SELECT name FROM pragma_index_info('{(string)index[0]!}') ORDER BY seqno");
                facts.Add(Index(table, (long)index[1]! == 1, columns.Select(c => (string)c[0]!)));
            }
        }
        facts.Sort(StringComparer.Ordinal);
        return facts;
    }

    private static async Task<List<string>> PostgresSchemaAsync(DbConnection connection)
    {
        var facts = new List<string>();
        var tables = await RowsAsync(connection,
            "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'");
        foreach (var table in tables.Select(t => (string)t[0]!).Where(t => !OwnTables.Contains(t)))
        {
            facts.Add($"table {table}");
            foreach (var column in await RowsAsync(connection,
                $"SELECT column_name, data_type, is_nullable FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = '{table}'"))
                facts.Add($"column {table}.{(string)column[0]!} {Family((string)column[1]!)} {((string)column[2]! == "YES" ? "null" : "not null")}");
            var key = await RowsAsync(connection,
                $"""
                SELECT k.column_name FROM information_schema.table_constraints c
                JOIN information_schema.key_column_usage k ON k.constraint_name = c.constraint_name AND k.table_schema = c.table_schema AND k.table_name = c.table_name
                WHERE c.constraint_type = 'PRIMARY KEY' AND c.table_schema = current_schema() AND c.table_name = '{table}' ORDER BY k.ordinal_position
                """);
            if (key.Count > 0) facts.Add($"primary key {table}({string.Join(", ", key.Select(k => (string)k[0]!))})");
            foreach (var index in await RowsAsync(connection,
                $"""
                SELECT ix.indisunique,
                       array_to_string(ARRAY(SELECT a.attname FROM unnest(ix.indkey) WITH ORDINALITY AS k(attnum, ord)
                                             JOIN pg_attribute a ON a.attrelid = ix.indrelid AND a.attnum = k.attnum ORDER BY k.ord), ',')
                FROM pg_index ix JOIN pg_class t ON t.oid = ix.indrelid JOIN pg_namespace n ON n.oid = t.relnamespace
                WHERE n.nspname = current_schema() AND t.relname = '{table}' AND NOT ix.indisprimary
                """))
                facts.Add(Index(table, (bool)index[0]!, ((string)index[1]!).Split(',')));
        }
        facts.Sort(StringComparer.Ordinal);
        return facts;
    }

    /// <summary>
    /// An index by what it does, not its name: a UNIQUE column is an index SQLite calls sqlite_autoindex_… and PostgreSQL
    /// names after the column, and either is the same index.
    /// </summary>
    private static string Index(string table, bool unique, IEnumerable<string> columns) =>
        $"{(unique ? "unique index" : "index")} {table}({string.Join(", ", columns)})";

    /// <summary>The kind of value a column holds, the level at which the two agree: SQLite has one INTEGER, PostgreSQL integer and bigint.</summary>
    private static string Family(string type) => type.ToLowerInvariant() switch
    {
        "integer" or "bigint" or "smallint" => "integer",
        "text" or "character varying" => "text",
        "blob" or "bytea" => "blob",
        var other => $"unmapped type {other}",
    };

    private static async Task<List<object?[]>> RowsAsync(DbConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<object?[]>();
        while (await reader.ReadAsync())
        {
            var row = new object?[reader.FieldCount];
            reader.GetValues(row!);
            rows.Add(row);
        }
        return rows;
    }
}

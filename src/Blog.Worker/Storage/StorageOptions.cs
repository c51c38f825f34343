namespace Blog.Storage;

/// <summary>Where the service keeps its state. Bound from the <c>Storage</c> section; <c>--data DIR</c> sets <see cref="DataPath"/>.</summary>
public sealed class StorageOptions
{
    public const string Section = "Storage";

    /// <summary>
    /// The data folder: the SQLite database, the signing key and (by default) the mail pickup folder.
    /// Relative paths resolve against the working directory.
    /// </summary>
    public string DataPath { get; set; } = "data";

    /// <summary><c>Sqlite</c> (the embedded default, one machine) or <c>Postgres</c> (shared by several nodes).</summary>
    public string Provider { get; set; } = Sqlite;

    /// <summary>The PostgreSQL connection string, for <c>Postgres</c>: <c>Host=…;Port=5432;Database=blog;Username=…;Password=…</c>.</summary>
    public string ConnectionString { get; set; } = "";

    public const string Sqlite = "Sqlite";

    public const string Postgres = "Postgres";

    public bool IsPostgres => string.Equals(Provider, Postgres, StringComparison.OrdinalIgnoreCase);

    public string DatabasePath => Path.Combine(DataPath, "blog.db");
}

namespace Blog.Storage;

/// <summary>Where SQLite and PostgreSQL need different words in the same statement.</summary>
public sealed class SqlDialect
{
    public static readonly SqlDialect Sqlite = new(shared: false);

    public static readonly SqlDialect Postgres = new(shared: true);

    private readonly bool shared;

    private SqlDialect(bool shared) => this.shared = shared;

    /// <summary>
    /// Ends a claim's inner SELECT: rows another node is claiming are passed over, not waited for. Nothing in SQLite,
    /// where one writer at a time makes the claim atomic as it stands.
    /// </summary>
    public string SkipLocked(string alias) => shared ? $"FOR UPDATE OF {alias} SKIP LOCKED" : "";

    /// <summary>
    /// Ends a SELECT of one row that the transaction goes on to change, so a second writer waits for the first to
    /// commit, and its next statement sees what the first wrote. Nothing in SQLite, whose writer holds the whole file.
    /// </summary>
    public string ForUpdate => shared ? "FOR UPDATE" : "";

    /// <summary>A delivery row's identity, as an UPDATE's <c>WHERE … IN (SELECT …)</c> compares it; SQLite's rowid is the cheapest there.</summary>
    public string DeliveryKey(string alias = "") =>
        shared ? (alias.Length == 0 ? "(run_key, subscriber_id)" : $"{alias}.run_key, {alias}.subscriber_id") : (alias.Length == 0 ? "rowid" : $"{alias}.rowid");
}

namespace Blog.Storage;

/// <summary>
/// The SQLite schema, one script per version. A script is never edited once released: a change is a new version.
/// Times are Unix milliseconds (UTC), so ordering and comparison are plain integer work in every database.
/// </summary>
internal static class SqliteMigrations
{
    public static readonly ImmutableArray<string> Scripts =
    [
        // 1: subscribers and the mail outbox.
        """
        CREATE TABLE subscribers (
            id                   INTEGER PRIMARY KEY AUTOINCREMENT,
            address              TEXT    NOT NULL UNIQUE,
            status               TEXT    NOT NULL CHECK (status IN ('pending', 'active', 'unsubscribed', 'bounced')),
            tags                 TEXT    NOT NULL DEFAULT '',
            cadence              TEXT    NOT NULL,
            created_at           INTEGER NOT NULL,
            confirmed_at         INTEGER,
            confirmation_sent_at INTEGER,
            unsubscribed_at      INTEGER,
            watermark            INTEGER,
            bounces              INTEGER NOT NULL DEFAULT 0
        );
        CREATE TABLE mail_outbox (
            id              INTEGER PRIMARY KEY AUTOINCREMENT,
            subscriber_id   INTEGER REFERENCES subscribers (id) ON DELETE CASCADE,
            recipient       TEXT    NOT NULL,
            message_id      TEXT    NOT NULL,
            purpose         TEXT    NOT NULL,
            mime            BLOB    NOT NULL,
            status          TEXT    NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'failed')),
            attempts        INTEGER NOT NULL DEFAULT 0,
            next_attempt_at INTEGER NOT NULL,
            lease_until     INTEGER,
            last_error      TEXT,
            created_at      INTEGER NOT NULL
        );
        CREATE INDEX mail_outbox_due ON mail_outbox (status, next_attempt_at);
        CREATE INDEX mail_outbox_subscriber ON mail_outbox (subscriber_id);
        """,

        // 2: digest runs and their deliveries (the send ledger).
        """
        CREATE TABLE digest_runs (
            key         TEXT    PRIMARY KEY,
            cadence     TEXT    NOT NULL,
            created_at  INTEGER NOT NULL,
            planned_at  INTEGER
        );
        CREATE TABLE deliveries (
            run_key         TEXT    NOT NULL REFERENCES digest_runs (key) ON DELETE CASCADE,
            subscriber_id   INTEGER NOT NULL REFERENCES subscribers (id) ON DELETE CASCADE,
            status          TEXT    NOT NULL CHECK (status IN ('pending', 'sent', 'skipped', 'failed')),
            posts           TEXT    NOT NULL,
            watermark       INTEGER,
            message_id      TEXT    NOT NULL,
            attempts        INTEGER NOT NULL DEFAULT 0,
            next_attempt_at INTEGER NOT NULL,
            lease_until     INTEGER,
            last_error      TEXT,
            settled_at      INTEGER,
            PRIMARY KEY (run_key, subscriber_id)
        );
        CREATE INDEX deliveries_due ON deliveries (status, next_attempt_at);
        CREATE INDEX deliveries_subscriber ON deliveries (subscriber_id);
        """,

        // 3: which node sent each delivery, for a cluster (and for the owner asking where a run went).
        """
        ALTER TABLE deliveries ADD COLUMN sent_by TEXT;
        """,

        // 5: when each post was first seen public (digests plan on it), and how many new posts a digest left out.
        """
        CREATE TABLE posts_seen (
            post_id    TEXT    PRIMARY KEY,
            first_seen INTEGER NOT NULL
        );
        CREATE TABLE blog_state (
            key   TEXT PRIMARY KEY,
            value TEXT NOT NULL
        );
        ALTER TABLE deliveries ADD COLUMN more_posts INTEGER NOT NULL DEFAULT 0;
        """,
    ];
}

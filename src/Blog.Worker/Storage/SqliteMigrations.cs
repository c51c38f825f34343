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

        // 4: one subscriber per address whatever its case (address_key, lower-cased), and a per-subscriber key that the links
        // mailed to them carry (link_key; NULL for everyone before, whose links stay as they were). Case duplicates are merged
        // into the earliest row; subscriber_merges remembers the ids merged away, so their links already mailed still reach the
        // person. lower() folds ASCII only here and in PostgreSQL (COLLATE "C"), as EmailAddress.Key does, and addresses are ASCII.
        """
        ALTER TABLE subscribers ADD COLUMN address_key TEXT NOT NULL DEFAULT '';
        ALTER TABLE subscribers ADD COLUMN link_key TEXT;
        UPDATE subscribers SET address_key = lower(address);
        CREATE TABLE subscriber_merges (
            id      INTEGER PRIMARY KEY,
            into_id INTEGER NOT NULL REFERENCES subscribers (id) ON DELETE CASCADE
        );
        CREATE INDEX subscriber_merges_into ON subscriber_merges (into_id);
        """ + CaseMergeScript + """
        CREATE UNIQUE INDEX subscribers_one_per_address_key ON subscribers (address_key);
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

        // 6: WebSub pings not yet taken by their hub, so a restart (or another node) still sends them. One row per hub and
        // feed: a feed changed twice before its ping went needs one ping. changed_at tells a ping in flight from a newer change.
        """
        CREATE TABLE hub_pings (
            hub         TEXT    NOT NULL,
            feed        TEXT    NOT NULL,
            changed_at  INTEGER NOT NULL,
            lease_until INTEGER,
            PRIMARY KEY (hub, feed)
        );
        """,

        // 7: what came back about our mail (bounces, complaints, unsubscribes by mail), the reports already acted on, and
        // the addresses erased after a complaint that must stay off the list. A subscriber may now be 'complained'; the
        // status CHECK is in the CREATE TABLE, so the table is rebuilt the way SQLite documents (lang_altertable.html,
        // "other kinds of table schema changes"): new table, copy, drop, rename, indexes again. The migration runs with
        // foreign keys off (SqliteDatabase), so the drop cascades to nothing, and checks them before it commits. The
        // AUTOINCREMENT high-water mark is carried over, so an id once handed out is never handed out again.
        """
        CREATE TABLE subscribers_new (
            id                   INTEGER PRIMARY KEY AUTOINCREMENT,
            address              TEXT    NOT NULL UNIQUE,
            status               TEXT    NOT NULL CHECK (status IN ('pending', 'active', 'unsubscribed', 'bounced', 'complained')),
            tags                 TEXT    NOT NULL DEFAULT '',
            cadence              TEXT    NOT NULL,
            created_at           INTEGER NOT NULL,
            confirmed_at         INTEGER,
            confirmation_sent_at INTEGER,
            unsubscribed_at      INTEGER,
            watermark            INTEGER,
            bounces              INTEGER NOT NULL DEFAULT 0,
            address_key          TEXT    NOT NULL DEFAULT '',
            link_key             TEXT
        );
        INSERT INTO subscribers_new (id, address, status, tags, cadence, created_at, confirmed_at, confirmation_sent_at, unsubscribed_at, watermark,
                                     bounces, address_key, link_key)
        SELECT id, address, status, tags, cadence, created_at, confirmed_at, confirmation_sent_at, unsubscribed_at, watermark,
               bounces, address_key, link_key
        FROM subscribers;
        INSERT INTO sqlite_sequence (name, seq) SELECT 'subscribers_new', 0 WHERE NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = 'subscribers_new');
        UPDATE sqlite_sequence SET seq = MAX(seq, COALESCE((SELECT MAX(o.seq) FROM sqlite_sequence o WHERE o.name = 'subscribers'), 0))
        WHERE name = 'subscribers_new';
        DROP TABLE subscribers;
        ALTER TABLE subscribers_new RENAME TO subscribers;
        CREATE UNIQUE INDEX subscribers_one_per_address_key ON subscribers (address_key);

        CREATE TABLE subscriber_events (
            id            INTEGER PRIMARY KEY AUTOINCREMENT,
            subscriber_id INTEGER NOT NULL REFERENCES subscribers (id) ON DELETE CASCADE,
            kind          TEXT    NOT NULL CHECK (kind IN ('hard-bounce', 'soft-bounce', 'complaint', 'unsubscribe')),
            source        TEXT    NOT NULL,
            at            INTEGER NOT NULL,
            run_key       TEXT,
            diagnostic    TEXT    NOT NULL DEFAULT '',
            event_key     TEXT    NOT NULL
        );
        CREATE INDEX subscriber_events_subscriber ON subscriber_events (subscriber_id, kind, at);
        CREATE INDEX subscriber_events_run ON subscriber_events (run_key);
        CREATE INDEX subscriber_events_latest ON subscriber_events (subscriber_id, at, id);
        CREATE TABLE feedback_reports (
            key     TEXT    PRIMARY KEY,
            outcome TEXT    NOT NULL,
            at      INTEGER NOT NULL
        );
        CREATE TABLE suppressions (
            address_hash TEXT    PRIMARY KEY,
            reason       TEXT    NOT NULL,
            at           INTEGER NOT NULL
        );
        CREATE INDEX deliveries_message_id ON deliveries (message_id);
        """,

        // 8: the owner's console. Accounts (a password hash, or none for a passkey-only account; security_stamp changes to
        // end every session), their passkeys, the one-time setup link (its token only as a hash), failed sign-ins per
        // client, the keys that sign console cookies (shared by every node), subscriber counts per day for the charts,
        // and feed readership per day: aggregators' reported counts, and direct readers as salted hashes of the day.
        """
        -- The console's subscriber search: keyset pages by id under a status, a cadence or both (SqlSubscriberDirectory).
        CREATE INDEX subscribers_by_status ON subscribers (status, id);
        CREATE INDEX subscribers_by_cadence ON subscribers (cadence, id);
        CREATE INDEX subscribers_by_status_cadence ON subscribers (status, cadence, id);
        CREATE TABLE admin_users (
            id              INTEGER PRIMARY KEY AUTOINCREMENT,
            name            TEXT    NOT NULL UNIQUE,
            password_hash   TEXT,
            require_passkey INTEGER NOT NULL DEFAULT 0,
            user_handle     BLOB    NOT NULL UNIQUE,
            security_stamp  TEXT    NOT NULL,
            failed_signins  INTEGER NOT NULL DEFAULT 0,
            locked_until    INTEGER,
            created_at      INTEGER NOT NULL
        );
        CREATE TABLE admin_passkeys (
            credential_id BLOB    PRIMARY KEY,
            user_id       INTEGER NOT NULL REFERENCES admin_users (id) ON DELETE CASCADE,
            public_key    BLOB    NOT NULL,
            sign_count    INTEGER NOT NULL DEFAULT 0,
            name          TEXT    NOT NULL DEFAULT '',
            created_at    INTEGER NOT NULL,
            last_used_at  INTEGER
        );
        CREATE INDEX admin_passkeys_user ON admin_passkeys (user_id);
        CREATE TABLE admin_setup (
            token_hash TEXT    PRIMARY KEY,
            expires_at INTEGER NOT NULL,
            used_at    INTEGER
        );
        CREATE TABLE admin_client_failures (
            client       TEXT    PRIMARY KEY,
            failures     INTEGER NOT NULL,
            first_at     INTEGER NOT NULL,
            locked_until INTEGER
        );
        CREATE TABLE admin_keys (
            name TEXT PRIMARY KEY,
            xml  TEXT NOT NULL
        );
        CREATE TABLE subscriber_daily (
            day          INTEGER PRIMARY KEY,
            pending      INTEGER NOT NULL,
            active       INTEGER NOT NULL,
            unsubscribed INTEGER NOT NULL,
            bounced      INTEGER NOT NULL,
            complained   INTEGER NOT NULL,
            signups      INTEGER NOT NULL,
            unsubscribes INTEGER NOT NULL,
            taken_at     INTEGER NOT NULL
        );
        CREATE TABLE feed_aggregators (
            day         INTEGER NOT NULL,
            feed        TEXT    NOT NULL,
            aggregator  TEXT    NOT NULL,
            subscribers INTEGER NOT NULL,
            seen_at     INTEGER NOT NULL,
            PRIMARY KEY (day, feed, aggregator)
        );
        CREATE TABLE feed_reader_marks (
            day    INTEGER NOT NULL,
            feed   TEXT    NOT NULL,
            reader TEXT    NOT NULL,
            PRIMARY KEY (day, feed, reader)
        );
        CREATE TABLE feed_readers (
            day     INTEGER NOT NULL,
            feed    TEXT    NOT NULL,
            readers INTEGER NOT NULL,
            PRIMARY KEY (day, feed)
        );
        """,
    ];

    /// <summary>
    /// Merges the rows that share an address_key into the earliest (lowest id), the same statements in both databases.
    /// Leaving wins (unsubscribed, then bounced), then a confirmation under any spelling; the watermark is the latest.
    /// The rows merged away lose their queued mail and delivery history: a queued digest or confirmation for them would
    /// reach the same mailbox twice.
    /// </summary>
    internal const string CaseMergeScript = """
        INSERT INTO subscriber_merges (id, into_id)
        SELECT s.id, (SELECT MIN(k.id) FROM subscribers k WHERE k.address_key = s.address_key)
        FROM subscribers s
        WHERE s.id > (SELECT MIN(k.id) FROM subscribers k WHERE k.address_key = s.address_key);
        UPDATE subscribers SET
            status = (SELECT CASE MAX(CASE d.status WHEN 'unsubscribed' THEN 4 WHEN 'bounced' THEN 3 WHEN 'active' THEN 2 ELSE 1 END)
                             WHEN 4 THEN 'unsubscribed' WHEN 3 THEN 'bounced' WHEN 2 THEN 'active' ELSE 'pending' END
                      FROM subscribers d WHERE d.address_key = subscribers.address_key),
            confirmed_at = (SELECT MIN(d.confirmed_at) FROM subscribers d WHERE d.address_key = subscribers.address_key),
            unsubscribed_at = COALESCE((SELECT MAX(d.unsubscribed_at) FROM subscribers d
                                        WHERE d.address_key = subscribers.address_key AND d.status IN ('unsubscribed', 'bounced')), unsubscribed_at),
            watermark = (SELECT MAX(d.watermark) FROM subscribers d WHERE d.address_key = subscribers.address_key),
            bounces = (SELECT MAX(d.bounces) FROM subscribers d WHERE d.address_key = subscribers.address_key)
        WHERE id IN (SELECT into_id FROM subscriber_merges);
        DELETE FROM mail_outbox WHERE subscriber_id IN (SELECT id FROM subscriber_merges);
        DELETE FROM deliveries WHERE subscriber_id IN (SELECT id FROM subscriber_merges);
        DELETE FROM subscribers WHERE id IN (SELECT id FROM subscriber_merges);
        """;
}

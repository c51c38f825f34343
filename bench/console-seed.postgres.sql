-- The console bench's data for PostgreSQL: the same rows as bench/console-seed.sqlite.sql (read its header for the
-- distributions), for a database the service's own migrations created. Run by bench/console.sh through psql with
--   -v n=SUBSCRIBERS -v runs=RUNS -v per_run=DELIVERIES_A_RUN -v now=UNIX_MILLISECONDS
\set ON_ERROR_STOP on
SET synchronous_commit = off;
BEGIN;

CREATE TEMP TABLE bench_names (k int PRIMARY KEY, name text NOT NULL);
INSERT INTO bench_names VALUES (0, 'alice'), (1, 'bob'), (2, 'chen'), (3, 'dana'), (4, 'erik'), (5, 'fatima'), (6, 'gus'), (7, 'hana'),
    (8, 'ivan'), (9, 'jules'), (10, 'kofi'), (11, 'lena'), (12, 'mateo'), (13, 'noor'), (14, 'olga'), (15, 'priya');
CREATE TEMP TABLE bench_domains (k int PRIMARY KEY, domain text NOT NULL);
INSERT INTO bench_domains VALUES (0, 'example.com'), (1, 'example.org'), (2, 'example.net'), (3, 'mail.example'), (4, 'post.test'), (5, 'inbox.test');

INSERT INTO subscribers (id, address, address_key, link_key, status, tags, cadence, created_at, confirmed_at, confirmation_sent_at,
                         unsubscribed_at, watermark, bounces)
WITH r AS (
    SELECT n,
           (n * 2654435761) % 4294967291 % 1000 AS h,
           (n * 40503) % 997 % 10 AS g,
           (n * 7) % 10 AS c,
           :now::bigint - 63072000000 + floor(63072000000 * sqrt(n::float8 / :n))::bigint - (n * 7919) % 3600000 AS created
    FROM generate_series(1::bigint, :n) AS n),
s AS (
    SELECT r.*, nm.name || '.' || r.n || '@' || d.domain AS address,
           CASE WHEN h < 800 THEN 'active' WHEN h < 860 THEN 'pending' WHEN h < 950 THEN 'unsubscribed' WHEN h < 980 THEN 'bounced' ELSE 'complained' END AS status
    FROM r JOIN bench_names nm ON nm.k = r.n % 16 JOIN bench_domains d ON d.k = (r.n / 16) % 6)
SELECT n, address, lower(address), md5(n::text || ':link'), status,
       CASE g WHEN 3 THEN 'rag' WHEN 4 THEN 'evals' WHEN 5 THEN 'agents' WHEN 6 THEN 'evals rag' WHEN 7 THEN 'inference'
              WHEN 8 THEN 'agents rag' WHEN 9 THEN 'evals inference' ELSE '' END,
       CASE WHEN c < 6 THEN 'weekly' WHEN c < 9 THEN 'daily' ELSE 'monthly' END,
       created,
       CASE WHEN status = 'pending' THEN NULL ELSE created + 60000 + n % 600000 END,
       created,
       CASE WHEN status IN ('unsubscribed', 'bounced', 'complained') THEN created + 660000 + (:now::bigint - created - 660000) * (n % 97 + 1) / 98 END,
       CASE WHEN status = 'active' THEN :now::bigint - (n % 7) * 86400000 END,
       CASE WHEN status = 'bounced' THEN 1 ELSE 0 END
FROM s;
-- The rows carry their ids; the identity continues after them, as it would have.
SELECT setval(pg_get_serial_sequence('subscribers', 'id'), :n);

INSERT INTO digest_runs (key, cadence, created_at, planned_at)
WITH t AS (
    SELECT r,
           CASE WHEN r < 96 THEN 'weekly' WHEN r < 192 THEN 'daily' ELSE 'monthly' END AS cadence,
           (:now::bigint / 86400000) * 86400000 - 57600000
             - CASE WHEN r < 96 THEN (96 - r) * 7 WHEN r < 192 THEN 192 - r ELSE (:runs - r) * 30 END * 86400000::bigint AS at
    FROM generate_series(0, :runs - 1) AS r)
SELECT cadence || '/' || to_char(to_timestamp(at / 1000) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'), cadence, at, at + 1500 FROM t;

CREATE TEMP TABLE bench_runs AS SELECT row_number() OVER (ORDER BY created_at, key) - 1 AS r, key, created_at AS at FROM digest_runs;

INSERT INTO deliveries (run_key, subscriber_id, status, posts, watermark, message_id, attempts, next_attempt_at, lease_until, last_error,
                        settled_at, sent_by, more_posts)
WITH d AS (
    SELECT b.r, b.key, b.at, j, (b.r * least(:per_run, :n) + j) % :n + 1 AS sid,
           ((b.r * least(:per_run, :n) + j) * 7919) % 1000 AS k
    FROM bench_runs b CROSS JOIN generate_series(0::bigint, least(:per_run, :n) - 1) AS j)
SELECT key, sid,
       CASE WHEN k < 970 THEN 'sent' WHEN k < 990 THEN 'failed' ELSE 'skipped' END,
       'post-' || (r % 50) || chr(10) || 'post-' || (r % 50 + 1),
       at,
       'digest.' || key || '.' || sid || '.bench@blog.example.com',
       CASE WHEN k < 970 THEN 1 WHEN k < 990 THEN 3 ELSE 0 END,
       at, NULL,
       CASE WHEN k < 970 THEN NULL
            WHEN k < 990 THEN CASE k % 4
                WHEN 0 THEN '550 5.1.1 <reader' || sid || '@example.com>: Recipient address rejected: User unknown in virtual mailbox table'
                WHEN 1 THEN '552 5.2.2 <reader' || sid || '@example.com>: Mailbox full'
                WHEN 2 THEN '554 5.7.1 Service unavailable; Client host [192.0.2.25] blocked using zen.spamhaus.org'
                ELSE '421 4.7.0 Try again later, closing connection (timeout)' END
            ELSE 'no new posts since the last digest' END,
       at + 2000 + j * 20,
       CASE WHEN j % 2 = 0 THEN 'node-a' ELSE 'node-b' END,
       0
FROM d;

INSERT INTO subscriber_events (subscriber_id, kind, source, at, run_key, diagnostic, event_key)
SELECT subscriber_id, 'hard-bounce', 'smtp', settled_at, run_key, last_error, 'smtp:' || run_key || '/' || subscriber_id || '@' || settled_at
FROM deliveries WHERE status = 'failed' AND last_error LIKE '55%';

INSERT INTO subscriber_events (subscriber_id, kind, source, at, run_key, diagnostic, event_key)
SELECT subscriber_id, 'complaint', 'arf', settled_at + 3600000, run_key, 'abuse report (feedback-type: abuse)', 'arf:bench.' || run_key || '.' || subscriber_id
FROM deliveries WHERE status = 'sent' AND (subscriber_id * 31 + length(run_key)) % 1000 = 0;

INSERT INTO subscriber_events (subscriber_id, kind, source, at, run_key, diagnostic, event_key)
SELECT id,
       CASE status WHEN 'bounced' THEN 'hard-bounce' WHEN 'complained' THEN 'complaint' WHEN 'unsubscribed' THEN 'unsubscribe' ELSE 'soft-bounce' END,
       CASE status WHEN 'bounced' THEN 'imap' WHEN 'complained' THEN 'arf' WHEN 'unsubscribed' THEN 'list-unsubscribe' ELSE 'imap' END,
       COALESCE(unsubscribed_at, :now::bigint - (id % 30) * 86400000), NULL,
       CASE status WHEN 'bounced' THEN '550 5.1.1 User unknown' WHEN 'complained' THEN 'abuse report (feedback-type: abuse)'
                   WHEN 'unsubscribed' THEN 'List-Unsubscribe-Post' ELSE '452 4.2.2 Mailbox full' END,
       'bench:' || id
FROM subscribers
WHERE status IN ('bounced', 'complained') OR (status = 'unsubscribed' AND id % 3 = 0) OR (status = 'active' AND id % 100 = 0);

INSERT INTO mail_outbox (subscriber_id, recipient, message_id, purpose, mime, status, attempts, next_attempt_at, last_error, created_at)
SELECT id, address, 'confirm.' || id || '.bench@blog.example.com', 'confirmation', '\x00'::bytea, 'failed', 10, :now::bigint, '421 4.7.0 Try again later', :now::bigint - 86400000
FROM subscribers WHERE status = 'pending' AND id % 1000 = 7;

COMMIT;
-- What autovacuum would have done by the time anyone looks: statistics for the planner, the visibility map for index-only scans.
VACUUM ANALYZE;

-- The console bench's data, in SQL, for a database the service's own migrations created (schema 8 or later).
-- Run by bench/console.sh through sqlite3, which binds the parameters first:
--   @n        subscribers (e.g. 1000000)
--   @runs     digest runs (e.g. 200)
--   @per_run  deliveries a run (e.g. 5000; at most @n)
--   @now      the present, Unix milliseconds
-- bench/console-seed.postgres.sql is the same data for PostgreSQL; keep the two alike.
--
-- Every value is a function of the row's number, so two seeds of one size are the same list. Distributions:
--   status   80 % active, 6 % pending, 9 % unsubscribed, 3 % bounced, 2 % complained
--   cadence  60 % weekly, 30 % daily, 10 % monthly
--   tags     30 % none; rag, evals, agents, inference alone or in pairs (rag on 30 %)
--   created  over the last two years, sign-ups growing with time (row n at 2y * sqrt(n / @n)); ids grow with time
--   address  name.N@domain from 16 names and 6 domains (fragments such as 'priya.42' or 'inbox.test' find some)
-- Runs: 96 weekly, 96 daily, then monthly, each of @per_run settled deliveries (97 % sent, 2 % failed with the
-- server's words, 1 % skipped); a hard bounce event for each failed delivery, a complaint for 1 in 1,000 sent;
-- an event for every bounced, complained and a third of the unsubscribed subscribers; soft bounces on 1 % of the rest.
PRAGMA foreign_keys = OFF;
PRAGMA cache_size = -262144;
PRAGMA synchronous = OFF; -- this session only: a seed that fails is simply run again
BEGIN;

CREATE TEMP TABLE bench_names (k INTEGER PRIMARY KEY, name TEXT NOT NULL);
INSERT INTO bench_names VALUES (0, 'alice'), (1, 'bob'), (2, 'chen'), (3, 'dana'), (4, 'erik'), (5, 'fatima'), (6, 'gus'), (7, 'hana'),
    (8, 'ivan'), (9, 'jules'), (10, 'kofi'), (11, 'lena'), (12, 'mateo'), (13, 'noor'), (14, 'olga'), (15, 'priya');
CREATE TEMP TABLE bench_domains (k INTEGER PRIMARY KEY, domain TEXT NOT NULL);
INSERT INTO bench_domains VALUES (0, 'example.com'), (1, 'example.org'), (2, 'example.net'), (3, 'mail.example'), (4, 'post.test'), (5, 'inbox.test');

INSERT INTO subscribers (id, address, address_key, link_key, status, tags, cadence, created_at, confirmed_at, confirmation_sent_at,
                         unsubscribed_at, watermark, bounces)
WITH RECURSIVE i(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM i WHERE n < @n),
r AS (
    SELECT n,
           (n * 2654435761) % 4294967291 % 1000 AS h,
           (n * 40503) % 997 % 10 AS g,
           (n * 7) % 10 AS c,
           @now - 63072000000 + CAST(63072000000 * sqrt(n * 1.0 / @n) AS INTEGER) - (n * 7919) % 3600000 AS created
    FROM i),
s AS (
    SELECT r.*, nm.name || '.' || r.n || '@' || d.domain AS address,
           CASE WHEN h < 800 THEN 'active' WHEN h < 860 THEN 'pending' WHEN h < 950 THEN 'unsubscribed' WHEN h < 980 THEN 'bounced' ELSE 'complained' END AS status
    FROM r JOIN temp.bench_names nm ON nm.k = r.n % 16 JOIN temp.bench_domains d ON d.k = (r.n / 16) % 6)
SELECT n, address, lower(address), lower(hex(randomblob(16))), status,
       CASE g WHEN 3 THEN 'rag' WHEN 4 THEN 'evals' WHEN 5 THEN 'agents' WHEN 6 THEN 'evals rag' WHEN 7 THEN 'inference'
              WHEN 8 THEN 'agents rag' WHEN 9 THEN 'evals inference' ELSE '' END,
       CASE WHEN c < 6 THEN 'weekly' WHEN c < 9 THEN 'daily' ELSE 'monthly' END,
       created,
       CASE WHEN status = 'pending' THEN NULL ELSE created + 60000 + n % 600000 END,
       created,
       CASE WHEN status IN ('unsubscribed', 'bounced', 'complained') THEN created + 660000 + (@now - created - 660000) * (n % 97 + 1) / 98 END,
       CASE WHEN status = 'active' THEN @now - (n % 7) * 86400000 END,
       CASE WHEN status = 'bounced' THEN 1 ELSE 0 END
FROM s;

-- Runs at 08:00 UTC: the weekly ones each seventh day back, the daily ones each day, the monthly ones each 30th.
INSERT INTO digest_runs (key, cadence, created_at, planned_at)
WITH RECURSIVE k(r) AS (SELECT 0 UNION ALL SELECT r + 1 FROM k WHERE r + 1 < @runs),
t AS (
    SELECT r,
           CASE WHEN r < 96 THEN 'weekly' WHEN r < 192 THEN 'daily' ELSE 'monthly' END AS cadence,
           (@now / 86400000) * 86400000 - 57600000
             - CASE WHEN r < 96 THEN (96 - r) * 7 WHEN r < 192 THEN 192 - r ELSE (@runs - r) * 30 END * 86400000 AS at
    FROM k)
SELECT cadence || '/' || strftime('%Y-%m-%dT%H:%M:%SZ', at / 1000, 'unixepoch'), cadence, at, at + 1500 FROM t;

CREATE TEMP TABLE bench_runs AS SELECT row_number() OVER (ORDER BY created_at, key) - 1 AS r, key, created_at AS at FROM digest_runs;

INSERT INTO deliveries (run_key, subscriber_id, status, posts, watermark, message_id, attempts, next_attempt_at, lease_until, last_error,
                        settled_at, sent_by, more_posts)
WITH RECURSIVE j(j) AS (SELECT 0 UNION ALL SELECT j + 1 FROM j WHERE j + 1 < min(@per_run, @n)),
d AS (
    SELECT b.r, b.key, b.at, j.j, (b.r * min(@per_run, @n) + j.j) % @n + 1 AS sid,
           ((b.r * min(@per_run, @n) + j.j) * 7919) % 1000 AS k
    FROM temp.bench_runs b CROSS JOIN j)
SELECT key, sid,
       CASE WHEN k < 970 THEN 'sent' WHEN k < 990 THEN 'failed' ELSE 'skipped' END,
       'post-' || (r % 50) || char(10) || 'post-' || (r % 50 + 1),
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
       COALESCE(unsubscribed_at, @now - (id % 30) * 86400000), NULL,
       CASE status WHEN 'bounced' THEN '550 5.1.1 User unknown' WHEN 'complained' THEN 'abuse report (feedback-type: abuse)'
                   WHEN 'unsubscribed' THEN 'List-Unsubscribe-Post' ELSE '452 4.2.2 Mailbox full' END,
       'bench:' || id
FROM subscribers
WHERE status IN ('bounced', 'complained') OR (status = 'unsubscribed' AND id % 3 = 0) OR (status = 'active' AND id % 100 = 0);

-- A few mails that gave up (the outbox's depth on the overview); 'failed' rows are never picked up again.
INSERT INTO mail_outbox (subscriber_id, recipient, message_id, purpose, mime, status, attempts, next_attempt_at, last_error, created_at)
SELECT id, address, 'confirm.' || id || '.bench@blog.example.com', 'confirmation', X'00', 'failed', 10, @now, '421 4.7.0 Try again later', @now - 86400000
FROM subscribers WHERE status = 'pending' AND id % 1000 = 7;

COMMIT;
PRAGMA wal_checkpoint(TRUNCATE);

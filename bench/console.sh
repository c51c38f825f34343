#!/usr/bin/env bash
# The owner's console at a million subscribers (issue 14), in SQLite and in PostgreSQL, beside the database floor.
#   blog:  `blog run` with the console on its own loopback port, signed in with curl (a cookie jar, the sign-in form's
#          antiforgery field), then per page WARMUP untimed GETs and REQUESTS timed ones (curl's %{time_total}):
#            GET /                                       the overview
#            GET /subscribers?FILTER                     a filtered subscriber page (status, cadence, tag)
#            GET /subscribers?q=SEARCH                   an address fragment search
#          and the service's peak memory (VmHWM in /proc/PID/status) at the end.
#   floor: the same questions put straight to the database by its own client, timed the same way (warm-up, then
#          REQUESTS, p95): sqlite3 `.timer on` in one process, psql `\timing on` over one connection. The overview's
#          floor is the counts by status, the outbox's depth and the last 30 runs' counts; each subscriber page's is
#          its keyset page query (newest first, 50 rows).
# The data: the service's own migrations create the schema (`blog subscribers list` on an empty data folder or
# database), then bench/console-seed.sqlite.sql or console-seed.postgres.sql fill it in SQL: N subscribers over two
# years, RUNS digest runs of PER_RUN settled deliveries each, their bounce and complaint events (see their headers).
# PostgreSQL is Debian's, started as the tests start it (initdb into a temp folder, 127.0.0.1, a free port, as the
# postgres user when this runs as root), with its default settings but for durability (fsync off, as in the tests).
# Targets: p95 <= 100 ms for both pages, the service's peak memory <= 300 MB.
#
# usage: bench/console.sh [N] [REQUESTS]     N subscribers (default 1000000), REQUESTS timed per page (default 200)
#   BLOG_BIN=path       use that blog binary (e.g. src/Blog.Worker/bin/Release/net10.0/blog, the JIT build) instead
#                       of publishing the Native AOT one
#   DBS="sqlite postgres"  which databases (default both, in that order)
#   RUNS=200 PER_RUN=5000 WARMUP=20
#   FILTER="status=active&cadence=daily&tag=rag"   the filtered page's query string
#   SEARCH="priya.4"    the address fragment
#   BLOG_ARGS="..."     more settings for blog run
#   FLOOR_REQUESTS, FLOOR_WARMUP  the floor's repeats (default REQUESTS and WARMUP; the overview's floor counts
#                       the whole list each time, seconds a repeat on a busy machine)
#   PG_OPTIONS="--max_parallel_workers_per_gather=0"  session settings for PostgreSQL, the service's (its connection
#                       string's Options) and the floor's (PGOPTIONS) alike; no spaces
#   STARTUP_WAIT=600    seconds to wait for the service's start-up work (today's daily counts) before timing
# Needs sqlite3, postgresql, curl, python3, bc (tests/run.sh installs them all but curl and bc).
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
case "${1:-}" in -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;; esac
N=${1:-1000000}
REQUESTS=${2:-200}
WARMUP=${WARMUP:-20}
RUNS=${RUNS:-200}
PER_RUN=${PER_RUN:-5000}
DBS=${DBS:-sqlite postgres}
FILTER=${FILTER:-status=active&cadence=daily&tag=rag}
SEARCH=${SEARCH:-priya.4}
STARTUP_WAIT=${STARTUP_WAIT:-600}
FLOOR_REQUESTS=${FLOOR_REQUESTS:-$REQUESTS}
FLOOR_WARMUP=${FLOOR_WARMUP:-$WARMUP}
[ -n "${PG_OPTIONS:-}" ] && export PGOPTIONS=$PG_OPTIONS
source "$HERE/common.sh"
need sqlite3 sqlite3
need curl curl
need bc bc
need python3 python3
need psql postgresql-client
if [ -n "${BLOG_BIN:-}" ]; then BLOG=$(cd "$(dirname "$BLOG_BIN")" && pwd)/$(basename "$BLOG_BIN"); else publish_blog; fi

D=$WORK/console-$N
rm -rf "$D" && mkdir -p "$D"
PASSWORD="bench-$(date +%s)-$RANDOM$RANDOM"
PAGE_SIZE=50
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
# FILTER's values, for the floor's query (status, cadence, tag; each may be missing).
param() { printf '%s' "&$FILTER" | grep -o "&$1=[^&]*" | head -1 | cut -d= -f2; }
F_STATUS=$(param status); F_CADENCE=$(param cadence); F_TAG=$(param tag)

# p50, p95 (nearest rank) and max of numbers (seconds) on stdin, in milliseconds.
stats() { sort -g | awk '{a[NR]=$1*1000} END {if (NR==0) {print "- - -"; exit} i=int(NR*0.95); if (i<NR*0.95) i++; printf "%.1f %.1f %.1f\n", a[int((NR+1)/2)], a[i], a[NR]}'; }

BLOG_PID=
PG_DIR=
stop_blog() { [ -n "$BLOG_PID" ] && kill "$BLOG_PID" 2>/dev/null && wait "$BLOG_PID" 2>/dev/null; BLOG_PID=; return 0; }
as_postgres() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
stop_postgres() {
  [ -n "$PG_DIR" ] && as_postgres "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m fast -w stop >/dev/null 2>&1
  [ -n "$PG_DIR" ] && rm -rf "$PG_DIR"; PG_DIR=; return 0
}
trap 'stop_blog; stop_postgres' EXIT

# Settings that only make writing cheaper, so the seed is quick (a throw-away server, as the tests run it); reading,
# which is what is timed, runs on the defaults (shared_buffers, work_mem, ...).
PG_WRITES="-c fsync=off -c full_page_writes=off -c synchronous_commit=off -c max_wal_size=8GB"
start_postgres() {
  PG_BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
  [ -x "$PG_BIN/initdb" ] || { echo "bench: PostgreSQL is missing; install it with: apt-get install -y postgresql" >&2; exit 1; }
  # Outside the work folder: the postgres user must be able to reach it.
  PG_DIR=$(mktemp -d /tmp/blog-bench-pg.XXXXXX)
  [ "$(id -u)" = 0 ] && chown postgres:postgres "$PG_DIR"
  as_postgres "$PG_BIN/initdb" -D "$PG_DIR/data" -U blog --auth=trust -E UTF8 --no-sync >"$D/initdb.log" 2>&1 \
    || { cat "$D/initdb.log" >&2; exit 1; }
  PG_PORT=$(free_port)
  as_postgres "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w -t 60 start \
    -o "-p $PG_PORT -c listen_addresses=127.0.0.1 -k $PG_DIR/data $PG_WRITES" >/dev/null || { cat "$PG_DIR/server.log" >&2; exit 1; }
  psql -q -h 127.0.0.1 -p "$PG_PORT" -U blog -d postgres -c "CREATE DATABASE blog" >/dev/null
}

# The settings that point blog at the database under test.
db_args() {
  case $1 in
    sqlite) echo "--data $D/sqlite/data" ;;
    postgres) echo "--data $D/postgres/data --Storage:Provider=Postgres --Storage:ConnectionString=Host=127.0.0.1;Port=$PG_PORT;Username=blog;Database=blog${PG_OPTIONS:+;Options=$PG_OPTIONS}" ;;
  esac
}

# The schema by the service's own migrations, then the seed in SQL.
seed() {
  local db=$1 now start
  mkdir -p "$D/$db"
  # shellcheck disable=SC2046
  "$BLOG" subscribers list $(db_args "$db") --Digests:Cadences:monthly:Cron="0 0 8 1 * ?" >/dev/null
  now=$(date +%s%3N)
  start=$(date +%s.%N)
  case $db in
    sqlite) sqlite3 -bail "$D/sqlite/data/blog.db" ".parameter init" ".parameter set @n $N" ".parameter set @runs $RUNS" \
              ".parameter set @per_run $PER_RUN" ".parameter set @now $now" ".read $HERE/console-seed.sqlite.sql" >/dev/null ;;
    postgres) psql -q -X -h 127.0.0.1 -p "$PG_PORT" -U blog -d blog -v n="$N" -v runs="$RUNS" -v per_run="$PER_RUN" -v now="$now" \
              -f "$HERE/console-seed.postgres.sql" >/dev/null ;;
  esac
  printf '  seeded in %.0f s: ' "$(echo "$(date +%s.%N) - $start" | bc -l)"
  # shellcheck disable=SC2046
  "$BLOG" subscribers list $(db_args "$db") --Digests:Cadences:monthly:Cron="0 0 8 1 * ?" | tail -1
}

start_blog() {
  local db=$1 port console_port
  port=$(free_port); console_port=$(free_port)
  CONSOLE=http://127.0.0.1:$console_port
  # shellcheck disable=SC2046,SC2086
  "$BLOG" run $(db_args "$db") --content "$ROOT/content/posts" --out "$D/$db/out" --urls "http://127.0.0.1:$port" \
    --Admin:Urls="$CONSOLE" --Digests:Cadences:monthly:Cron="0 0 8 1 * ?" --Logging:LogLevel:Default=Warning ${BLOG_ARGS:-} \
    >"$D/$db/blog.log" 2>&1 &
  BLOG_PID=$!
  until curl -sf -o /dev/null "$CONSOLE/signin"; do
    kill -0 "$BLOG_PID" 2>/dev/null || { cat "$D/$db/blog.log" >&2; echo "bench: blog run stopped (above)" >&2; exit 1; }
    sleep 0.2
  done
}

# A scalar from the database under test.
scalar() {
  case $1 in
    sqlite) sqlite3 "$D/sqlite/data/blog.db" "$2" ;;
    postgres) psql -X -q -A -t -h 127.0.0.1 -p "$PG_PORT" -U blog -d blog -c "$2" ;;
  esac
}

# The service fills in the overview's daily counts at start (one pass over the list, then today's row): what a
# deployment does once, not on every page. The timing starts when today's row is there.
wait_startup() {
  local db=$1 today start
  today=$(( $(date +%s) / 86400 )); start=$(date +%s.%N)
  until [ "$(scalar "$db" "SELECT COUNT(*) FROM subscriber_daily WHERE day >= $today" 2>/dev/null || echo 0)" -gt 0 ]; do
    kill -0 "$BLOG_PID" 2>/dev/null || { cat "$D/$db/blog.log" >&2; echo "bench: blog run stopped (above)" >&2; exit 1; }
    if [ "$(echo "$(date +%s.%N) - $start > $STARTUP_WAIT" | bc)" = 1 ]; then echo "  (no daily counts for today after $STARTUP_WAIT s; going on)"; return; fi
    sleep 0.5
  done
  printf '  the service'"'"'s start-up work (daily counts) took %.0f s\n' "$(echo "$(date +%s.%N) - $start" | bc -l)"
}

# post_form DB PAGE_URL: GETs the page and posts back its form that has a password field, as a browser would: its
# hidden fields (the antiforgery token among them) as they are, the name and every password field filled in.
post_form() {
  local db=$1 url=$2 jar=$D/$db/cookies fields
  curl -s -c "$jar" -b "$jar" -o "$D/$db/form.html" "$url"
  mapfile -d '' fields < <(python3 - "$D/$db/form.html" bench "$PASSWORD" <<'PY'
import sys, html.parser
page, user, password = open(sys.argv[1], encoding="utf-8").read(), sys.argv[2], sys.argv[3]
class Forms(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(); self.forms = []; self.current = None
    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form": self.current = {"action": a.get("action") or "", "inputs": []}; self.forms.append(self.current)
        elif tag == "input" and self.current is not None and a.get("name"): self.current["inputs"].append(a)
    def handle_endtag(self, tag):
        if tag == "form": self.current = None
parser = Forms(); parser.feed(page)
form = next((f for f in parser.forms if any(i.get("type") == "password" for i in f["inputs"])), None)
if form is None: sys.exit(0)
out = [form["action"]]
for i in form["inputs"]:
    kind = (i.get("type") or "text").lower()
    if kind == "password": value = password
    elif kind in ("text", "email") or i.get("autocomplete") == "username": value = user
    elif kind in ("checkbox", "radio", "submit", "button"): continue
    else: value = i.get("value") or ""
    out += ["--data-urlencode", f"{i['name']}={value}"]
sys.stdout.write("\0".join(out) + "\0")
PY
)
  [ "${#fields[@]}" -gt 0 ] || return 1
  curl -s -c "$jar" -b "$jar" -o /dev/null "${fields[@]:1}" "$CONSOLE${fields[0]}"
}

# Signs in with curl as a browser would, cookies in a jar: an account made with `blog admin add-user` (password on
# standard input) and the sign-in form, or else the first account made through the setup link the service logs at
# its first start. SIGNED_IN says whether the account page then answers 200 with a session.
sign_in() {
  local db=$1 link i
  SIGNED_IN=no
  # shellcheck disable=SC2046
  if printf '%s\n' "$PASSWORD" | "$BLOG" admin add-user bench $(db_args "$db") >"$D/$db/add-user.log" 2>&1; then
    post_form "$db" "$CONSOLE/signin" || echo "  (no sign-in form on /signin)"
  else
    for i in $(seq 100); do
      link=$(grep -o 'http://[^ ]*/setup?token=[A-Za-z0-9_-]*' "$D/$db/blog.log" | tail -1 || true)
      [ -n "$link" ] && break
      sleep 0.2
    done
    if [ -n "$link" ]; then post_form "$db" "$link" || echo "  (no form behind the setup link)"
    else echo "  (blog admin add-user failed and the service logged no setup link)"; fi
  fi
  if [ "$(curl -s -b "$D/$db/cookies" -o "$D/$db/account.html" -w '%{http_code}' "$CONSOLE/account")" = 200 ] && grep -q 'Sign out' "$D/$db/account.html"; then
    SIGNED_IN=yes
  fi
}

# time_page DB LABEL PATH: WARMUP then REQUESTS GETs, one curl each (its own connection, as a browser's first).
time_page() {
  local db=$1 label=$2 path=$3 jar=$D/$db/cookies code i
  : >"$D/$db/times"
  code=$(curl -s -b "$jar" -o "$D/$db/page.html" -w '%{http_code}' "$CONSOLE$path")
  for i in $(seq $((WARMUP + REQUESTS))); do
    curl -s -b "$jar" -o /dev/null -w '%{http_code} %{time_total}\n' "$CONSOLE$path"
  done | tail -n "$REQUESTS" >"$D/$db/times"
  [ "$(awk '{print $1}' "$D/$db/times" | sort -u | tr '\n' ' ')" = "$code " ] || echo "  ($label: not every answer was $code)"
  row "$db" "$label" "$(awk '{print $2}' "$D/$db/times" | stats)" "HTTP $code, $(( $(stat -c %s "$D/$db/page.html") / 1024 )) KB, $(grep -o '<tr' "$D/$db/page.html" | wc -l) table rows"
}

# floor DB LABEL STATEMENTS SQL: the same warm-up and count of repeats of SQL (STATEMENTS statements each time, their
# times added up) by the database's own client, over one connection.
floor() {
  local db=$1 label=$2 k=$3 sql=$4
  case $db in
    sqlite) { echo ".timer on"; for i in $(seq $((FLOOR_WARMUP + FLOOR_REQUESTS))); do printf '%s\n' "$sql"; done; } \
              | sqlite3 -bail "$D/sqlite/data/blog.db" | sed -n 's/^Run Time: real \([0-9.]*\).*/\1/p' ;;
    postgres) { echo '\timing on'; for i in $(seq $((FLOOR_WARMUP + FLOOR_REQUESTS))); do printf '%s\n' "$sql"; done; } \
              | psql -X -q -A -t -o /dev/null -h 127.0.0.1 -p "$PG_PORT" -U blog -d blog | sed -n 's/^Time: \([0-9.]*\) ms.*/\1/p' \
              | awk '{print $1 / 1000}' ;;
  esac | awk -v k="$k" '{s += $1} NR % k == 0 {print s; s = 0}' | tail -n "$FLOOR_REQUESTS" >"$D/$db/floor-times"
  row "$db" "$label" "$(stats <"$D/$db/floor-times")" "$k statement(s)"
}

row() { local s; read -r -a s <<<"$3"; printf '%-9s %-60s %8s %8s %8s  %s\n' "$1" "$2" "${s[0]}" "${s[1]}" "${s[2]}" "$4" | tee -a "$D/table"; }

# The floor's SQL: the same in both databases. The filtered page's tag matches a whole word of the space-separated tags.
status_counts="SELECT status, COUNT(*) FROM subscribers GROUP BY status;"
outbox_depth="SELECT COUNT(*) FROM mail_outbox;"
# The last 30 runs' counts, each an aggregate over those runs' deliveries and events (by their keys' indexes).
last_runs="SELECT d.run_key, SUM(CASE WHEN d.status = 'sent' THEN 1 ELSE 0 END), SUM(CASE WHEN d.status = 'failed' THEN 1 ELSE 0 END)
  FROM deliveries d WHERE d.run_key IN (SELECT key FROM digest_runs ORDER BY created_at DESC LIMIT 30) GROUP BY d.run_key;
  SELECT e.run_key, e.kind, COUNT(DISTINCT e.subscriber_id) FROM subscriber_events e
  WHERE e.run_key IN (SELECT key FROM digest_runs ORDER BY created_at DESC LIMIT 30) AND e.kind IN ('hard-bounce', 'complaint') GROUP BY e.run_key, e.kind;"
where="1 = 1"
[ -n "$F_STATUS" ] && where="$where AND status = '$F_STATUS'"
[ -n "$F_CADENCE" ] && where="$where AND cadence = '$F_CADENCE'"
[ -n "$F_TAG" ] && where="$where AND ' ' || tags || ' ' LIKE '% $F_TAG %'"
# The console's first page is the oldest subscribers first (ascending ids), as here.
filtered_page="SELECT id, address, status, cadence, tags, created_at FROM subscribers WHERE $where AND id > 0 ORDER BY id LIMIT $PAGE_SIZE;"
search_page="SELECT id, address, status, cadence, tags, created_at FROM subscribers WHERE address_key LIKE '%$SEARCH%' AND id > 0 ORDER BY id LIMIT $PAGE_SIZE;"
query=$(python3 -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1]))' "$SEARCH")

echo "console bench: $N subscribers, $RUNS runs x $PER_RUN deliveries; $REQUESTS requests a page after $WARMUP warm-up (floor: $FLOOR_REQUESTS after $FLOOR_WARMUP); blog: $BLOG"
: >"$D/table"
LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)
for db in $DBS; do
  echo "$db:"
  [ "$db" = postgres ] && start_postgres
  seed "$db"
  start_blog "$db"
  wait_startup "$db"
  sign_in "$db"
  [ "$SIGNED_IN" = yes ] || echo "  NOT SIGNED IN: the times below are of what the console answers without a session"
  time_page "$db" "blog GET / (overview)" "/"
  floor "$db" "floor: counts by status, outbox depth, last 30 runs" 4 "$status_counts $outbox_depth $last_runs"
  time_page "$db" "blog GET /subscribers?$FILTER" "/subscribers?$FILTER"
  floor "$db" "floor: the filtered keyset page ($PAGE_SIZE rows)" 1 "$filtered_page"
  time_page "$db" "blog GET /subscribers?q=$SEARCH" "/subscribers?q=$query"
  floor "$db" "floor: the fragment's keyset page ($PAGE_SIZE rows)" 1 "$search_page"
  hwm=$(awk '/^VmHWM/ {print int($2 / 1024)}' "/proc/$BLOG_PID/status")
  printf '%-9s %-60s %8s MB  (VmHWM; signed in: %s)\n' "$db" "blog peak memory" "$hwm" "$SIGNED_IN" | tee -a "$D/table"
  stop_blog
  [ "$db" = postgres ] && stop_postgres
done

echo
printf '%-9s %-60s %8s %8s %8s\n' "database" "$N subscribers, $RUNS runs: ms" "p50" "p95" "max"
cat "$D/table"
echo "targets: p95 <= 100 ms for both pages; peak memory <= 300 MB"
echo "load average at the start: $LOAD_START; at the end: $(cut -d' ' -f1-3 /proc/loadavg) ($(nproc) CPUs)"

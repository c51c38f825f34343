#!/usr/bin/env bash
# Digest delivery beside Postfix's own SMTP load generator, both into Postfix's smtp-sink on loopback.
#   blog:        `blog digest send` (Native AOT) of one weekly digest to N subscribers, Mail:Smtp:MaxConnections=4
#   smtp-source: the same number of messages of the same size over 4 reused connections (-s 4 -d)
#   floor:       bench/mailkit-floor (Native AOT), a bare MailKit client sending blog's pre-composed digest message N
#                times over the same 4 connections: what blog costs beyond MailKit itself
# Each is run RUNS times, taking turns; medians are reported, with blog's peak memory, and blog again with DKIM on.
# Needs postfix (for smtp-sink and smtp-source; its daemon is never started) and openssl:
#   echo "postfix postfix/main_mailer_type select No configuration" | debconf-set-selections
#   apt-get install -y postfix
# usage: bench/digest.sh [N] [RUNS]      (default 10000 3); DKIM_RUNS=0 leaves out the DKIM runs (slow at large N);
#        POSTS=K puts K posts in the digest (default 3, about 4 KB; 24 make about 20 KB, the size the issue quotes)
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
N=${1:-10000}
RUNS=${2:-3}
source "$HERE/common.sh"
[ -x /usr/sbin/smtp-sink ] || { echo "bench: smtp-sink is missing; install postfix (see the header of this script)" >&2; exit 1; }
need openssl openssl
need /usr/bin/time time
publish_blog
echo "publishing bench/mailkit-floor (Release, Native AOT, as blog)"
dotnet publish "$HERE/mailkit-floor" -c Release -r linux-x64 -p:PublishAot=true -o "$WORK/floor-bin" -v quiet -nologo >"$WORK/floor-publish.log" 2>&1 \
  || { cat "$WORK/floor-publish.log" >&2; echo "bench: the floor's publish failed (above)" >&2; exit 1; }
FLOOR=$WORK/floor-bin/mailkit-floor
CONNECTIONS=4

PORT=2526
D=$WORK/digest-$N-${POSTS:-3}
rm -rf "$D" && mkdir -p "$D/posts"
date=$(date -u -d '-45 minutes' +%Y-%m-%dT%H:%M:%SZ)
for i in $(seq 1 "${POSTS:-3}"); do
  printf -- '---\ntitle: "Benchmark post %s"\ndate: %s\nsummary: "A post for the digest benchmark, with a summary of ordinary length to fill the message the way a real one would."\ntags: [bench]\n---\n\nBody.\n' "$i" "$date" > "$D/posts/post-$i.md"
done
python3 - "$N" "$D/list.csv" <<'PY'
import sys
n, path = int(sys.argv[1]), sys.argv[2]
with open(path, "w") as f:
    f.write("email,cadence\n")
    for i in range(n): f.write(f"reader{i:07d}@example{i % 97}.com,weekly\n")
PY
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$D/dkim.pem" 2>/dev/null

fresh_data() {  # a data folder with N confirmed subscribers, confirmed an hour ago so the posts are new to them
  rm -rf "$D/data"
  "$BLOG" subscribers import "$D/list.csv" --confirmed --data "$D/data" --content "$D/posts" >/dev/null
  python3 -c "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.execute('update subscribers set confirmed_at = confirmed_at - 3600000'); c.commit()" "$D/data/blog.db"
}

SINK_USER=$( [ "$(id -u)" = 0 ] && echo "-u nobody" || true )
/usr/sbin/smtp-sink $SINK_USER -c 127.0.0.1:$PORT 1000 > "$D/sink.log" 2>&1 &
SINK=$!
trap 'kill $SINK 2>/dev/null || true; wait $SINK 2>/dev/null || true' EXIT
sleep 0.5

SMTP=(--Mail:Transport=Smtp --Mail:Smtp:Host=127.0.0.1 --Mail:Smtp:Port=$PORT --Mail:Smtp:Security=None --Mail:Smtp:MaxConnections=$CONNECTIONS --Logging:LogLevel:Default=Warning)
DKIM=(--Mail:Dkim:Domain=blog.example.com --Mail:Dkim:Selector=bench --Mail:Dkim:PrivateKeyPath=$D/dkim.pem)

fresh_data
"$BLOG" digest preview --to reader0000000@example0.com --out "$D/sample.eml" --data "$D/data" --content "$D/posts" >/dev/null
SIZE=$(stat -c %s "$D/sample.eml")
echo "digest message: $SIZE bytes; $N subscribers; $RUNS runs each, taking turns"

blog_run() {  # prints seconds and peak MB
  fresh_data
  local start end
  start=$(date +%s.%N)
  /usr/bin/time -f '%M' -o "$D/rss" "$BLOG" digest send --cadence weekly --data "$D/data" --content "$D/posts" "${SMTP[@]}" "$@" > "$D/out.txt" 2> "$D/err.txt" \
    || { cat "$D/err.txt" >&2; exit 1; }
  end=$(date +%s.%N)
  grep -q "sent $N digests" "$D/out.txt" || { echo "bench: not every digest was sent:" >&2; cat "$D/out.txt" "$D/err.txt" >&2; exit 1; }
  echo "$(echo "$end - $start" | bc -l) $(( $(tail -1 "$D/rss") / 1024 ))"
}
source_run() {
  local start end
  start=$(date +%s.%N)
  /usr/sbin/smtp-source -s $CONNECTIONS -d -l "$SIZE" -m "$N" -t to@example.com -f from@example.com 127.0.0.1:$PORT
  end=$(date +%s.%N)
  echo "$end - $start" | bc -l
}
floor_run() {  # the same message, already composed, over the same connections: wall time, start included, as blog's
  local start end
  start=$(date +%s.%N)
  "$FLOOR" "$D/sample.eml" "$N" "$CONNECTIONS" 127.0.0.1 "$PORT" > /dev/null
  end=$(date +%s.%N)
  echo "$end - $start" | bc -l
}

: > "$D/blog.txt"; : > "$D/dkim.txt"; : > "$D/source.txt"; : > "$D/floor.txt"
for r in $(seq 1 "$RUNS"); do
  source_run >> "$D/source.txt"
  floor_run >> "$D/floor.txt"
  blog_run >> "$D/blog.txt"
  [ "${DKIM_RUNS:-1}" = 0 ] || blog_run "${DKIM[@]}" >> "$D/dkim.txt"
done

python3 - "$N" "$D" <<'PY'
import statistics, sys
n, d = int(sys.argv[1]), sys.argv[2]
def col(f, i): return [float(l.split()[i]) for l in open(f"{d}/{f}") if l.strip()]
src = statistics.median(col("source.txt", 0))
floor = statistics.median(col("floor.txt", 0))
rows = [("smtp-source -s 4 -d", src, None), ("MailKit floor, 4 connections", floor, None),
        ("blog digest send", statistics.median(col("blog.txt", 0)), max(col("blog.txt", 1)))]
if col("dkim.txt", 0): rows.append(("blog digest send, DKIM", statistics.median(col("dkim.txt", 0)), max(col("dkim.txt", 1))))
# Rates as ratios: to smtp-source (the target's yardstick) and to the MailKit floor (what blog adds on top of its client).
print(f"{'':28} {'median s':>9} {'messages/s':>11} {'vs smtp-source':>15} {'vs floor':>9} {'peak MB':>8}")
for name, secs, mb in rows:
    print(f"{name:28} {secs:9.2f} {n / secs:11.0f} {src / secs:15.2f} {floor / secs:9.2f} {'' if mb is None else int(mb):>8}")
PY

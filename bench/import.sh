#!/usr/bin/env bash
# Times `blog subscribers import` of N generated addresses, as deployed (Native AOT), twice on an empty data folder:
# with --confirmed (rows only), and without (each row also gets its confirmation mail rendered, queued and written
# to the pickup folder). Reports wall time, rows per second and peak memory (GNU time's maximum resident set).
# usage: bench/import.sh [N]   (default 100000)
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
N=${1:-100000}
source "$HERE/common.sh"
need /usr/bin/time time
publish_blog

csv=$WORK/subscribers-$N.csv
python3 - "$N" "$csv" <<'PY'
import sys
n, path = int(sys.argv[1]), sys.argv[2]
tags = ["evals", "rag", "agents", "inference", ""]
with open(path, "w") as f:
    f.write("email,tags,cadence\n")
    for i in range(n):
        f.write(f"reader{i:07d}@example{i % 97}.com,{tags[i % 5]},{'daily' if i % 3 == 0 else 'weekly'}\n")
PY

run() {
  local label=$1; shift
  local data=$WORK/import-data
  rm -rf "$data"
  local start end
  start=$(date +%s.%N)
  /usr/bin/time -f '%M' -o "$WORK/import.rss" "$BLOG" subscribers import "$csv" --data "$data" --content "$ROOT/content/posts" "$@" >/dev/null 2>"$WORK/import.err" \
    || { cat "$WORK/import.err" >&2; exit 1; }
  end=$(date +%s.%N)
  local secs rss mails
  secs=$(echo "$end - $start" | bc -l)
  rss=$(( $(tail -1 "$WORK/import.rss") / 1024 ))
  mails=$( { find "$data/mail" -name '*.eml' 2>/dev/null || true; } | wc -l)
  printf '%-34s %8d rows  %7.2f s  %8.0f rows/s  peak %4d MB  %d mails written\n' "$label" "$N" "$secs" "$(echo "$N / $secs" | bc -l)" "$rss" "$mails"
}

run "import --confirmed (no mail)" --confirmed
run "import (confirmation mail each)"

#!/usr/bin/env bash
# Times `blog build` beside its two peers on one generated corpus, in one run, on this machine.
#   bench/run.sh [N] [RUNS]      N posts (default 10000), RUNS timed runs of each builder (default 3)
# Every builder writes the main feed plus one feed per tag, newest 50 posts each, in RSS, Atom and JSON Feed,
# into an emptied folder, so each run does the whole job. The builders take turns, round by round. Prints wall
# time and peak RSS of every run and the median of each, then the ratios the targets in bench/README.md are stated in.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
N=${1:-10000}
RUNS=${2:-3}
. "$HERE/common.sh"
need hugo hugo
need node nodejs
need /usr/bin/time time

corpus
if [ ! -d "$HERE/peers/node/node_modules" ]; then
  (cd "$HERE/peers/node" && npm ci --silent --no-audit --no-fund)
fi
publish_blog

# once NAME COMMAND...: one timed run into an emptied $WORK/out-NAME, appended to $WORK/runs-NAME.
once() {
  local name=$1; shift
  rm -rf "$WORK/out-$name"; mkdir -p "$WORK/out-$name"
  sync
  /usr/bin/time -f "%e %M" -o "$WORK/time-$name" "$@" >"$WORK/log-$name" 2>&1 || { cat "$WORK/log-$name"; exit 1; }
  read -r secs kb < "$WORK/time-$name"
  echo "$secs $kb" >> "$WORK/runs-$name"
  printf '  %-6s %6.2f s  %6d MB\n' "$name" "$secs" $((kb / 1024))
}

rm -f "$WORK"/runs-*
echo "reading the files alone (cat > /dev/null):"
sync; /usr/bin/time -f "  cat    %e s" sh -c "find '$CORPUS/posts' -name '*.md' -exec cat {} + > /dev/null" 2>&1 | tail -1
# Round-robin, so that the machine's drift (a shared VM) weighs on every builder alike.
for i in $(seq "$RUNS"); do
  echo "round $i of $RUNS:"
  once blog "$BLOG" build --content "$CORPUS/posts" --out "$WORK/out-blog" \
    --Feeds:ItemsPerFeed=50 --Site:Url=https://blog.example.com/ --Logging:LogLevel:Default=Warning
  once hugo hugo --quiet -s "$HERE/peers/hugo" --contentDir "$CORPUS" --destination "$WORK/out-hugo" --cacheDir "$WORK/hugo-cache"
  once node node "$HERE/peers/node/build-feeds.mjs" "$CORPUS/posts" "$WORK/out-node" --render needed --limit 50
done
rm -f "$WORK/summary"
for name in blog hugo node; do
  echo "$name $(sort -n "$WORK/runs-$name" | awk '{t[NR]=$1} END {print t[int((NR+1)/2)]}') $(sort -n -k2 "$WORK/runs-$name" | awk '{m[NR]=$2} END {print m[int((NR+1)/2)]}')" >> "$WORK/summary"
done

echo "outputs:"
python3 "$HERE/check-feeds.py" "$WORK/out-blog" "$WORK/out-hugo" "$WORK/out-node" | sed 's/^/  /'

awk '{ t[$1] = $2; m[$1] = $3 }
  END {
    printf "median of %s runs, %s posts:\n", runs, n
    for (k in t) printf "  %-5s %6.2f s  %6d MB\n", k, t[k], m[k] / 1024
    printf "blog/hugo time: %.3f   blog/node time: %.3f   blog peak: %d MB\n", t["blog"] / t["hugo"], t["blog"] / t["node"], m["blog"] / 1024
  }' runs="$RUNS" n="$N" "$WORK/summary"

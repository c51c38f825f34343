#!/usr/bin/env bash
# Edit-to-served latency at N posts: `blog run` (debounce 0, so the number excludes it) beside Hugo's
# `hugo server` rebuild time after the same kind of edit, on separate copies of one corpus.
#   bench/incremental.sh [N] [K]     N posts (default 10000), K edits per post (default 20)
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
N=${1:-10000}
K=${2:-20}
WORK=${BENCH_WORK:-$HERE/out}
CORPUS=$WORK/corpus-$N
[ -f "$CORPUS/.done" ] || { python3 "$HERE/gen-corpus.py" "$N" "$CORPUS/posts" --clean; touch "$CORPUS/.done"; }
dotnet publish "$ROOT/src/Blog.Worker" -c Release -r linux-x64 -p:PublishAot=true -o "$WORK/blog-bin" -v quiet -nologo >/dev/null

rm -rf "$WORK/incr-blog" "$WORK/incr-hugo"
mkdir -p "$WORK/incr-blog" "$WORK/incr-hugo"
cp -r "$CORPUS/posts" "$WORK/incr-blog/posts"
cp -r "$CORPUS/posts" "$WORK/incr-hugo/posts"

"$WORK/blog-bin/blog" run --content "$WORK/incr-blog/posts" --out "$WORK/incr-blog/out" --urls http://127.0.0.1:5080 \
  --Posts:Debounce=00:00:00 --Logging:LogLevel:Default=Warning > "$WORK/incr-blog.log" 2>&1 &
BLOG=$!
trap 'kill $BLOG 2>/dev/null || true; wait 2>/dev/null || true' EXIT
until curl -sf http://127.0.0.1:5080/healthz >/dev/null; do sleep 0.2; done
echo "blog run, $N posts, debounce 0:"
python3 "$HERE/incremental.py" http://127.0.0.1:5080 "$WORK/incr-blog/posts" "$K" | sed 's/^/  /'
kill $BLOG; wait $BLOG 2>/dev/null || true

echo "hugo server, same corpus (its own 'Total in N ms' per rebuild), 5 edits each:"
bash "$HERE/peers/hugo/incremental.sh" "$WORK/incr-hugo" 5 2>&1 | grep -E "Total in|initial" | sed 's/^/  /'

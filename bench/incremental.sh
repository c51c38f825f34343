#!/usr/bin/env bash
# Edit-to-served latency at N posts: `blog run` (debounce 0, so the number excludes it) beside Hugo's
# `hugo server` rebuild time after the same kind of edit, on separate copies of one corpus.
#   bench/incremental.sh [N] [K]     N posts (default 10000), K edits per post (default 20)
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
N=${1:-10000}
K=${2:-20}
. "$HERE/common.sh"
need hugo hugo
need curl curl
corpus
publish_blog

rm -rf "$WORK/incr-blog" "$WORK/incr-hugo"
mkdir -p "$WORK/incr-blog" "$WORK/incr-hugo"
cp -r "$CORPUS/posts" "$WORK/incr-blog/posts"
cp -r "$CORPUS/posts" "$WORK/incr-hugo/posts"

"$BLOG" run --content "$WORK/incr-blog/posts" --out "$WORK/incr-blog/out" --urls http://127.0.0.1:5080 \
  --Posts:Debounce=00:00:00 --Logging:LogLevel:Default=Warning > "$WORK/incr-blog.log" 2>&1 &
BLOG_PID=$!
trap 'kill $BLOG_PID 2>/dev/null || true; wait 2>/dev/null || true' EXIT
until curl -sf http://127.0.0.1:5080/healthz >/dev/null; do sleep 0.2; done
echo "blog run, $N posts, debounce 0:"
python3 "$HERE/incremental.py" http://127.0.0.1:5080 "$WORK/incr-blog/posts" "$K" | sed 's/^/  /'
kill $BLOG_PID; wait $BLOG_PID 2>/dev/null || true

echo "hugo server, same corpus (its own 'Total in N ms' per rebuild), 5 edits each:"
bash "$HERE/peers/hugo/incremental.sh" "$WORK/incr-hugo" 5 2>&1 | grep -E "Total in|initial" | sed 's/^/  /'

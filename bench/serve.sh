#!/usr/bin/env bash
# HTTP serving: `blog run` against nginx serving the very same feed.xml (etag on; gzip_static on), under
# `wrk -t2 -c50`, in one run on this machine. Measures 304s (If-None-Match) and gzip 200s.
#   bench/serve.sh [N] [REPEATS]    N: corpus size whose main feed.xml is served (default 10000, ~200 KB); REPEATS (3)
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
N=${1:-10000}
REPEATS=${2:-3}
. "$HERE/common.sh"
P=/tmp/anchor-nginx
need nginx nginx
need wrk wrk
need curl curl
need bc bc
corpus
publish_blog

rm -rf "$WORK/serve-out"
"$BLOG" run --content "$CORPUS/posts" --out "$WORK/serve-out" --urls http://127.0.0.1:5080 \
  --Logging:LogLevel:Default=Warning > "$WORK/serve-blog.log" 2>&1 &
BLOG_PID=$!
mkdir -p $P/www/static $P/tmp
nginx_pid=
trap 'kill $BLOG_PID 2>/dev/null || true; [ -n "$nginx_pid" ] && kill -QUIT $nginx_pid 2>/dev/null || true; wait 2>/dev/null || true' EXIT
until curl -sf http://127.0.0.1:5080/healthz >/dev/null; do sleep 0.2; done

cp "$WORK/serve-out/feed.xml" $P/www/static/feed.xml
gzip -kf -6 $P/www/static/feed.xml
nginx -p $P -c "$HERE/serve/nginx.conf" -g 'daemon off;' &
nginx_pid=$!
sleep 0.5
echo "feed.xml: $(stat -c %s $P/www/static/feed.xml) bytes"

BLOG_URL=http://127.0.0.1:5080/feed.xml
NGINX_URL=http://127.0.0.1:8080/static/feed.xml
etag() { curl -sI "$@" | tr -d '\r' | awk -F': ' 'tolower($1)=="etag"{print $2}'; }
BLOG_ETAG=$(etag $BLOG_URL); NGINX_ETAG=$(etag $NGINX_URL)
for u in "$BLOG_URL $BLOG_ETAG" "$NGINX_URL $NGINX_ETAG"; do
  set -- $u
  curl -s -o /dev/null -w "  $1: gzip %{http_code} %{size_download} B, " -H 'Accept-Encoding: gzip' $1
  curl -s -o /dev/null -w "If-None-Match %{http_code}\n" -H "If-None-Match: $2" $1
done

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
rate() {  # url, header...
  local url=$1; shift
  for i in $(seq "$REPEATS"); do wrk -t2 -c50 -d10s "$@" "$url" | awk '/Requests\/sec/{print $2}'; done | median
}
b304=$(rate $BLOG_URL -H "If-None-Match: $BLOG_ETAG"); n304=$(rate $NGINX_URL -H "If-None-Match: $NGINX_ETAG")
bgz=$(rate $BLOG_URL -H 'Accept-Encoding: gzip'); ngz=$(rate $NGINX_URL -H 'Accept-Encoding: gzip')
printf 'median req/s of %s runs of wrk -t2 -c50 -d10s:\n' "$REPEATS"
printf '  304      blog %9.0f  nginx %9.0f  blog/nginx %.2f\n' "$b304" "$n304" "$(echo "$b304 / $n304" | bc -l)"
printf '  gzip 200 blog %9.0f  nginx %9.0f  blog/nginx %.2f\n' "$bgz" "$ngz" "$(echo "$bgz / $ngz" | bc -l)"

# Shared by the bench scripts (sourced, not run): the work folder, the generated corpus, and blog as deployed.
# Before sourcing, set HERE (this folder) and N (posts). Sets ROOT, WORK, CORPUS and BLOG.
ROOT=$(cd "$HERE/.." && pwd)
WORK=${BENCH_WORK:-$HERE/out}
CORPUS=$WORK/corpus-$N
BLOG=$WORK/blog-bin/blog
mkdir -p "$WORK"

# need COMMAND PACKAGE: stop with the install line when a tool is missing.
need() { command -v "$1" >/dev/null 2>&1 || { echo "bench: '$1' is missing; install it with: apt-get install -y $2" >&2; exit 1; }; }

# The deterministic corpus of N posts, generated once per N.
corpus() {
  [ -f "$CORPUS/.done" ] && return
  echo "generating $N posts into $CORPUS/posts"
  python3 "$HERE/gen-corpus.py" "$N" "$CORPUS/posts" --clean
  touch "$CORPUS/.done"
}

# blog as deployed: Release, Native AOT (clang links it).
publish_blog() {
  need clang clang
  echo "publishing blog (Release, Native AOT, as deployed)"
  dotnet publish "$ROOT/src/Blog.Worker" -c Release -r linux-x64 -p:PublishAot=true -o "$WORK/blog-bin" -v quiet -nologo >"$WORK/publish.log" 2>&1 \
    || { cat "$WORK/publish.log" >&2; echo "bench: the publish failed (above)" >&2; exit 1; }
}

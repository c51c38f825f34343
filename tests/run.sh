#!/usr/bin/env bash
# The test command (README, .ci/run): installs the Debian packages the tests need (jing, feedparser and newsboat
# judge the feeds; chromium runs the sign-up pages; postgresql gives the storage and cluster tests a throw-away
# server of their own; dovecot gives the return-mailbox tests IMAP and POP3 servers of their own; clang links the Native AOT build), runs every test
# assembly, and ends with one plain "N passed, N failed, N skipped" line summed over all assemblies.
set -uo pipefail
cd "$(dirname "$0")/.."

missing=()
command -v jing >/dev/null 2>&1 || missing+=(jing)
/usr/bin/python3 -c 'import feedparser' >/dev/null 2>&1 || missing+=(python3-feedparser)
command -v newsboat >/dev/null 2>&1 || missing+=(newsboat)
[ -x /usr/bin/chromium ] || missing+=(chromium fonts-liberation)
command -v clang >/dev/null 2>&1 || missing+=(clang)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing+=(postgresql)
[ -x /usr/lib/dovecot/imap ] || missing+=(dovecot-imapd)
[ -x /usr/lib/dovecot/pop3 ] || missing+=(dovecot-pop3d)
if [ ${#missing[@]} -gt 0 ]; then
  echo "tests/run.sh: installing Debian packages: ${missing[*]}"
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  if ! { $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null; }; then
    echo "tests/run.sh: could not install ${missing[*]}; the feed, browser, PostgreSQL and mailbox tests need them" >&2
    exit 1
  fi
fi

log=$(mktemp)
trap 'rm -f "$log"' EXIT
dotnet test Blog.sln -c Release "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}

# The deployed build is Native AOT (README, bench): a trim or AOT warning there is an error, so publish it and run it.
# A run narrowed by arguments (a --filter) is a developer's quick loop and leaves this out.
aot=$(mktemp -d)
trap 'rm -f "$log"; rm -rf "$aot"' EXIT
if [ $# -gt 0 ]; then
  echo "tests/run.sh: arguments given, so the Native AOT publish check is left out"
elif echo "tests/run.sh: publishing the Native AOT build" && dotnet publish src/Blog.Worker -c Release -r linux-x64 -p:PublishAot=true -o "$aot" -v quiet -nologo >"$aot.log" 2>&1 \
   && "$aot/blog" --help >/dev/null; then
  echo "tests/run.sh: the Native AOT build publishes and runs"
else
  cat "$aot.log" >&2 2>/dev/null
  echo "tests/run.sh: the Native AOT build failed (above)" >&2
  status=1
fi
rm -f "$aot.log"

# VSTest prints "Passed!  - Failed: 0, Passed: N, Skipped: 0, Total: N, ..." once per assembly.
awk '/^(Passed|Failed)! +- Failed:/ { gsub(",", ""); failed += $4; passed += $6; skipped += $8; n++ }
     END { printf "%d passed, %d failed, %d skipped\n", passed, failed, skipped; if (n == 0) exit 1 }' "$log" || {
  echo "tests/run.sh: no test assembly reported results" >&2
  [ "$status" -ne 0 ] || status=1
}
exit "$status"

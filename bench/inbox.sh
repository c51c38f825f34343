#!/usr/bin/env bash
# The return-mailbox reader beside Dovecot's own reading of the same mail.
#   floor: `doveadm fetch text` of every message in the mailbox (Dovecot reads its own Maildir: no network, no parsing)
#   blog:  `blog inbox check` (Native AOT) over IMAP on loopback: fetch, classify, record each bounce (SQLite), move
#          each message to Processed, one at a time
# N delivery reports (RFC 3464, one a subscriber of an N-address list, hard and soft) are written into a throw-away
# Dovecot's Maildir as a delivery agent would; Dovecot runs as the unprivileged dovecot user when this runs as root.
# Needs dovecot-imapd (tests/run.sh installs it) and /usr/bin/time.
# usage: bench/inbox.sh [N]      (default 10000); BLOG_BIN=path uses that blog binary instead of publishing one;
#        BLOG_ARGS="--Mail:Inbox:BatchSize=50" adds settings to blog inbox check
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
N=${1:-10000}
source "$HERE/common.sh"
[ -x /usr/sbin/dovecot ] || { echo "bench: dovecot is missing; install it with: apt-get install -y dovecot-imapd dovecot-pop3d" >&2; exit 1; }
need /usr/bin/time time
if [ -n "${BLOG_BIN:-}" ]; then BLOG=$BLOG_BIN; else publish_blog; fi

D=$WORK/inbox-$N
OWNER=$( [ "$(id -u)" = 0 ] && echo dovecot || id -un )
as_owner() { if [ "$(id -u)" = 0 ]; then runuser -u dovecot -- "$@"; else "$@"; fi; }
stop_dovecot() { [ -f "$D/dovecot.conf" ] && as_owner /usr/bin/doveadm -c "$D/dovecot.conf" stop 2>/dev/null || true; }
stop_dovecot
rm -rf "$D" && mkdir -p "$D/run" "$D/state" "$D/mail/bench/Maildir"/{cur,new,tmp}
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
cat > "$D/dovecot.conf" <<CONF
base_dir = $D/run
state_dir = $D/state
instance_name = blog-bench-inbox
log_path = $D/dovecot.log
protocols = imap
listen = 127.0.0.1
default_internal_user = $OWNER
default_internal_group = $OWNER
default_login_user = $OWNER
first_valid_uid = 1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%n $D/users
}
userdb {
  driver = static
  args = uid=$OWNER gid=$OWNER home=$D/mail/%n
}
mail_location = maildir:~/Maildir
service imap-login {
  chroot =
  inet_listener imap {
    port = $PORT
  }
  inet_listener imaps {
    port = 0
  }
}
service anvil {
  chroot =
}
CONF
echo "bench:secret" | sed 's/:/:{PLAIN}/' > "$D/users"

echo "writing $N delivery reports into the Maildir, and $N subscribers"
python3 - "$N" "$D" <<'PY'
import sys, os
n, d = int(sys.argv[1]), sys.argv[2]
new = os.path.join(d, "mail/bench/Maildir/new")
with open(os.path.join(d, "list.csv"), "w") as f:
    f.write("email,cadence\n")
    for i in range(n): f.write(f"reader{i:07d}@example{i % 97}.com,weekly\n")
for i in range(n):
    to = f"reader{i:07d}@example{i % 97}.com"
    status = "5.1.1" if i % 4 else "4.2.2"
    body = (f"Return-Path: <>\r\nDate: Mon, 2 Mar 2026 08:01:02 +0000\r\nFrom: MAILER-DAEMON@mx.example.com (Mail Delivery System)\r\n"
            f"Subject: Undelivered Mail Returned to Sender\r\nTo: bounces@blog.example.com\r\nAuto-Submitted: auto-replied\r\nMIME-Version: 1.0\r\n"
            f"Content-Type: multipart/report; report-type=delivery-status; boundary=\"b{i}\"\r\nMessage-Id: <bench.{i}@mx.example.com>\r\n\r\n"
            f"--b{i}\r\nContent-Type: text/plain; charset=us-ascii\r\n\r\nYour message to {to} could not be delivered.\r\n\r\n"
            f"--b{i}\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; mx.example.com\r\n\r\n"
            f"Final-Recipient: rfc822; {to}\r\nAction: failed\r\nStatus: {status}\r\nDiagnostic-Code: smtp; 550 {status} <{to}>: User unknown\r\n\r\n"
            f"--b{i}\r\nContent-Type: text/rfc822-headers\r\n\r\nFrom: Blog <newsletter@blog.example.com>\r\nTo: {to}\r\nSubject: The weekly digest\r\n\r\n"
            f"--b{i}--\r\n").encode()
    with open(os.path.join(new, f"1772438462.M{i}P1.bench,S={len(body)}"), "wb") as f: f.write(body)
PY
"$BLOG" subscribers import "$D/list.csv" --confirmed --data "$D/data" >/dev/null
[ "$(id -u)" = 0 ] && chown -R dovecot:dovecot "$D"
as_owner /usr/sbin/dovecot -c "$D/dovecot.conf" </dev/null >"$D/start.log" 2>&1 || { cat "$D/start.log" "$D/dovecot.log" >&2; exit 1; }
trap stop_dovecot EXIT

# Dovecot's first look at a new Maildir builds its index and uidlist; neither side should pay for that alone.
as_owner /usr/bin/doveadm -c "$D/dovecot.conf" mailbox status -u bench messages INBOX

start=$(date +%s.%N)
as_owner /usr/bin/doveadm -c "$D/dovecot.conf" fetch -u bench text mailbox INBOX ALL > "$D/fetched"
end=$(date +%s.%N)
FLOOR=$(echo "$end - $start" | bc -l)
echo "floor fetched $(grep -c '^Message-Id: <bench' "$D/fetched") messages"
rm -f "$D/fetched"

start=$(date +%s.%N)
/usr/bin/time -f '%M' -o "$D/rss" "$BLOG" inbox check --data "$D/data" --Mail:Inbox:Host=127.0.0.1 --Mail:Inbox:Port=$PORT \
  --Mail:Inbox:Security=None --Mail:Inbox:User=bench --Mail:Inbox:Password=secret ${BLOG_ARGS:-} > "$D/out.txt" 2> "$D/err.txt" \
  || { cat "$D/out.txt" "$D/err.txt" >&2; exit 1; }
end=$(date +%s.%N)
BLOGS=$(echo "$end - $start" | bc -l)
echo "blog inbox check: $(cat "$D/out.txt")"
LEFT=$(as_owner /usr/bin/doveadm -c "$D/dovecot.conf" mailbox status -u bench messages INBOX | sed 's/.*messages=//')
MOVED=$(as_owner /usr/bin/doveadm -c "$D/dovecot.conf" mailbox status -u bench messages Processed | sed 's/.*messages=//')
[ "$LEFT" = 0 ] && [ "$MOVED" = "$N" ] || { echo "bench: $LEFT left in INBOX, $MOVED in Processed; expected 0 and $N" >&2; exit 1; }

printf '%-34s %9s %11s %9s %8s\n' "" "seconds" "messages/s" "vs floor" "peak MB"
printf '%-34s %9.2f %11.0f %9.2f\n' "doveadm fetch text (floor)" "$FLOOR" "$(echo "$N / $FLOOR" | bc -l)" 1
printf '%-34s %9.2f %11.0f %9.2f %8d\n' "blog inbox check (IMAP)" "$BLOGS" "$(echo "$N / $BLOGS" | bc -l)" "$(echo "$FLOOR / $BLOGS" | bc -l)" "$(( $(tail -1 "$D/rss") / 1024 ))"

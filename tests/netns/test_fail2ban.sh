#!/bin/bash
# Debian's fail2ban drives xdpfw through contrib/fail2ban/action.d/xdpfw.conf,
# with no xdpfw daemon running (the config is applied once). Each jail
# watches a test log of its own. In "brute" (bantime 1 h), two failing lines
# ban the source in xdpfw's ban maps (origin f2b:brute, expiring with the
# bantime) and its frames drop; `unbanip` lifts the ban. In "short" (bantime
# 3 s) fail2ban's own unban lifts it. "forever" (bantime -1) bans an IPv6
# source with no expiry, and stopping fail2ban lifts it. Only "short" is
# timed: a slow machine must not see a ban expire while it checks one.
. "$(dirname "$0")/lib.sh"

setup
require_xdpfw
for t in fail2ban-server fail2ban-client; do
	command -v "$t" >/dev/null || die "missing $t (make deps installs fail2ban)"
done
server_start 8080 -
sniff_start

cfg=$(conf xdpfw.yaml <<EOF
interfaces:
  - name: $FW_DEV
    mode: native
settings:
  default_action: pass
rules:
  - name: other
    src: 198.19.6.1
EOF
)
check "apply" apply "$cfg"

# fail2ban's whole config, in $F2B: its socket, no database, the jails.
F2B=$WORK/f2b
mkdir -p "$F2B/action.d" "$F2B/filter.d"
cp "$ROOT/contrib/fail2ban/action.d/xdpfw.conf" "$F2B/action.d/"
cat >"$F2B/fail2ban.conf" <<EOF
[Definition]
loglevel = INFO
logtarget = STDERR
syslogsocket = auto
socket = $F2B/fail2ban.sock
pidfile = $F2B/fail2ban.pid
allowipv6 = auto
dbfile = :memory:
dbpurgeage = 1d
EOF
cat >"$F2B/filter.d/xdpfw-test.conf" <<'EOF'
[Definition]
failregex = ^FAIL from <HOST>$
datepattern = {NONE}
EOF
cat >"$F2B/jail.conf" <<EOF
[DEFAULT]
backend = polling
filter = xdpfw-test
findtime = 1m
maxretry = 2
ignoreself = false
banaction = xdpfw[xdpfw="$XDPFW", pin_dir="$PIN_DIR"]
action = %(banaction)s

[brute]
enabled = true
logpath = $WORK/brute.log
bantime = 1h

[short]
enabled = true
logpath = $WORK/short.log
bantime = 3

[forever]
enabled = true
logpath = $WORK/forever.log
bantime = -1
EOF
: >"$WORK/brute.log"
: >"$WORK/short.log"
: >"$WORK/forever.log"

f2b() { fail2ban-client -c "$F2B" "$@" 2>>"$WORK/f2b-client.err"; }
f2b_quiet() { f2b "$@" >/dev/null; }
f2b_up() { f2b_quiet ping; }
F2B_LOG=$WORK/fail2ban.log
bg_start "$F2B_LOG" fail2ban-server -c "$F2B" -f -x
F2B_PID=$BG_PID
if ! wait_until 10 f2b_up; then
	sed 's/^/#   /' "$F2B_LOG" | tail -20
	die "fail2ban-server answers on its socket"
fi
ok "fail2ban-server answers on its socket"

# fail SRC N LOG: N failing lines from SRC.
fail() {
	local i
	for ((i = 0; i < $2; i++)); do echo "FAIL from $1"; done >>"$WORK/$3"
}
# banned ADDR: `bans` lists ADDR; unbanned ADDR: `bans` answers, without it.
banned() { [ "$(ban_field "$1" address)" = "$1" ]; }
unbanned() { [ "$(ban_field "$1" address)" = missing ]; }
# f2b_banned JAIL: the IPs fail2ban lists as banned in JAIL.
f2b_banned() { f2b status "$1" | sed -n 's/.*Banned IP list:\s*//p'; }
# unban_logged JAIL ADDR: fail2ban logged unbanning ADDR in JAIL.
unban_logged() { grep -q "\[$1\] Unban $2\$" "$F2B_LOG"; }

check "before any failure: $PEER4B passes" tcp_ok "$PEER4B" "$FW4" 8080
fail "$PEER4" 1 brute.log
fail "$PEER4B" 2 brute.log
check "two failing lines: fail2ban bans $PEER4B in xdpfw" wait_until 10 banned "$PEER4B"
check_eq "the ban's origin is the jail" "$(ban_field "$PEER4B" origin)" "f2b:brute"
left=$(ban_field "$PEER4B" expires_in)
check "the ban expires with fail2ban's bantime, 1 h (${left}s left)" \
	awk -v l="$left" 'BEGIN { exit !(l > 3500 && l <= 3600) }'
check_eq "fail2ban-client status lists the ban" "$(f2b_banned brute)" "$PEER4B"
check "the banned source is dropped" tcp_dropped "$PEER4B" "$FW4" 8080
check "drop_ban counted it" test "$(stat_counter drop_ban packets)" -ge 1
check_fails "one failing line bans nothing" banned "$PEER4"
check "$PEER4 passes" tcp_ok "$PEER4" "$FW4" 8080

check "fail2ban-client unbanip" f2b_quiet set brute unbanip "$PEER4B"
check "unbanip lifts the ban in xdpfw" unbanned "$PEER4B"
check "after unbanip: $PEER4B passes" tcp_ok "$PEER4B" "$FW4" 8080

fail "$PEER4B" 2 short.log
check "bantime 3 s: fail2ban bans $PEER4B" wait_until 10 banned "$PEER4B"
check "bantime 3 s: the ban is gone after it" wait_until 10 unbanned "$PEER4B"
# Whichever ends it first, fail2ban's unban or the expiry in the datapath,
# fail2ban unbans, and that succeeds (no error logged, below).
check "bantime 3 s: fail2ban unbans it" wait_until 10 unban_logged short "$PEER4B"
check_eq "bantime 3 s: fail2ban-client status lists no ban" "$(f2b_banned short)" ""
check "bantime 3 s: $PEER4B passes again" tcp_ok "$PEER4B" "$FW4" 8080

# As fail2ban and xdpfw write it.
src6=$("$PY" -c 'import ipaddress, sys; print(ipaddress.ip_address(sys.argv[1]))' "$PEER6B")
fail "$PEER6B" 2 forever.log
check "bantime -1: fail2ban bans $src6" wait_until 10 banned "$src6"
check_eq "bantime -1: origin f2b:forever" "$(ban_field "$src6" origin)" "f2b:forever"
check_eq "bantime -1: no expiry" "$(ban_field "$src6" expires_in)" "null"
check "bantime -1: $PEER6B dropped" tcp_dropped "$PEER6B" "$FW6" 8080

check "fail2ban-client stop" f2b_quiet stop
# shellcheck disable=SC2016 # expanded by bash -c
check "fail2ban-server exits" wait_until 10 bash -c '! kill -0 "$0" 2>/dev/null' "$F2B_PID"
check "stopping fail2ban lifts its bans" unbanned "$src6"
check "after stop: $PEER6B passes" tcp_ok "$PEER6B" "$FW6" 8080

errors=$(grep -E 'ERROR|CRITICAL' "$F2B_LOG")
check_eq "fail2ban logged no error" "$errors" ""
[ -z "$errors" ] || sed 's/^/#   /' "$F2B_LOG" | tail -30
finish

#!/bin/bash
# The daemon as a CrowdSec bouncer, against the real Local API of the Debian
# package crowdsec (`make deps` installs it through tests/install-crowdsec.sh):
# decisions added with cscli drop real frames and show as crowdsec:SCENARIO
# bans, deletions lift them, the bans stay while the Local API is down, and
# the daemon catches up when it is back (a fresh database behind the same url
# lifts what it no longer holds); a bad key is a clear error, and neither a
# reload nor a stop waits for the Local API. The Local API runs once per
# start, LAPI only (crowdsec -no-cs), on the firewall namespace's loopback,
# with a throwaway SQLite database. Prints the time from `cscli decisions
# add` to the ban being in the map (bench/ has the target).
. "$(dirname "$0")/lib.sh"

{ command -v crowdsec && command -v cscli; } >/dev/null ||
	die "crowdsec and cscli are missing: make deps installs the crowdsec package"
setup 2
require_xdpfw
use_pair 1
sniff_start
DEV1=$FW_DEV
use_pair 0
sniff_start
DEV0=$FW_DEV
# Pair 0's peer addresses, in the canonical form `bans` prints; fixed here,
# as the probes switch pairs (use_pair sets PEER4B and the like).
BAN4=198.18.0.3
FREE4=198.18.0.2
BAN6=2001:2::3
FREE6=2001:2::2

CS=$WORK/crowdsec
PORT=8080 # the loopback of this test's own namespace
HUNG_PORT=8081
mkdir -p "$CS"

# lapi_config DB: the Local API's config, with its SQLite database $CS/DB.
lapi_config() {
	cat >"$CS/config.yaml" <<EOF
common:
  daemonize: false
  log_media: stdout
  log_level: info
config_paths:
  config_dir: $CS/
  data_dir: $CS/
  simulation_path: $CS/simulation.yaml
  hub_dir: $CS/hub/
  index_path: $CS/hub/.index.json
db_config:
  type: sqlite
  db_path: $CS/$1
  use_wal: false
api:
  client:
    credentials_path: $CS/local_api_credentials.yaml
  server:
    listen_uri: 127.0.0.1:$PORT
    profiles_path: /etc/crowdsec/profiles.yaml
prometheus:
  enabled: false
EOF
	echo "simulation: off" >"$CS/simulation.yaml"
}
cs() { in_fw cscli -c "$CS/config.yaml" --error "$@"; }
lapi_up() { in_fw bash -c "exec 3<>/dev/tcp/127.0.0.1/$PORT" 2>/dev/null; }
lapi_start() {
	SEQ=$((SEQ + 1))
	LAPI_LOG=$CS/lapi.$SEQ.log
	bg_start "$LAPI_LOG" nsenter --net="/run/netns/$FW_NS" crowdsec -c "$CS/config.yaml" -no-cs
	LAPI_PID=$BG_PID
	wait_until 30 lapi_up || die "the Local API did not start: $(tail -3 "$LAPI_LOG")"
}
# lapi_register: cscli's machine (cscli decisions talks to the API) and the
# bouncer, with the key in $WORK/bouncer.key (kept when it exists).
lapi_register() {
	cs machines add xdpfw-test --auto --force -f "$CS/local_api_credentials.yaml" >/dev/null ||
		die "cscli machines add"
	if [ -s "$WORK/bouncer.key" ]; then
		cs bouncers add xdpfw-test -k "$(cat "$WORK/bouncer.key")" >/dev/null
	else
		cs bouncers add xdpfw-test -o raw >"$WORK/bouncer.key"
	fi || die "cscli bouncers add"
}
# stream_pulls STARTUP: the bouncer's stream requests in the Local API's log.
stream_pulls() { grep -c "GET /v1/decisions/stream?startup=$1 .*xdpfw-bouncer" "$LAPI_LOG"; }
pulls_at_least() { [ "$(stream_pulls "$1")" -ge "$2" ]; }
rejected_at_least() { [ "$(grep -c "stream.* 403 .*xdpfw-bouncer" "$LAPI_LOG")" -ge "$1" ]; }

# write_conf NAME [KEYFILE [URL]]: the daemon's config; without KEYFILE, no
# crowdsec section. Rules ban nothing: every drop here is a ban.
write_conf() {
	{
		cat <<EOF
interfaces:
  - name: $DEV0
  - name: $DEV1
settings:
  default_action: pass
rules:
  - name: keep
    src: 198.19.6.1
EOF
		[ -n "${2:-}" ] && cat <<EOF
crowdsec:
  url: ${3:-http://127.0.0.1:$PORT/}
  api_key_file: $2
  poll: 1s
EOF
	} | conf "$1" >/dev/null
}
CFG=$WORK/xdpfw.yaml
# reload_with NAME: make $WORK/NAME the config and reload; true once it is in force.
reload_with() {
	install_conf "$1" && daemon_reload
}

# The pair an address of these tests is on, and the firewall's address there.
on_pair_of() {
	case $1 in
	198.18.1.* | 2001:2:0:1::*) use_pair 1 ;;
	*) use_pair 0 ;;
	esac
	case $1 in
	*:*) DST=$FW6 ;;
	*) DST=$FW4 ;;
	esac
}
# dropped SRC: a UDP probe from SRC is dropped (and counted) at XDP.
dropped() {
	on_pair_of "$1"
	probe_dropped udp "$1" "$DST" 9 >/dev/null
}
# passes SRC: a UDP probe from SRC gets past XDP.
passes() {
	on_pair_of "$1"
	probe_blocked udp "$1" "$DST" 9 >/dev/null
	arrived "$PROBE_ID"
}
# banned PREFIX ORIGIN: `xdpfw bans` lists PREFIX with ORIGIN; not_banned: `bans` answers, without it.
banned() { [ "$(ban_field "$1" origin)" = "$2" ]; }
not_banned() { [ "$(ban_field "$1" address)" = missing ]; }
log_count() { grep -cF -- "$1" "$DAEMON_LOG"; }
log_grew_by() { [ "$(log_count "$1")" -gt "$2" ]; }

ms_now() { echo $(($(date +%s%N) / 1000000)); }
# after_backoff SINCE_MS CMD...: wait_until CMD, for as long as the bouncer's
# backoff may hold it: its waits double from 1 s, so once the Local API is
# back T s after the first failure at SINCE_MS, the next poll comes within
# T + 1 s; a poll and a second for rounding are added.
after_backoff() {
	local since=$1
	shift
	wait_until $((($(ms_now) - since) / 1000 + 4)) "$@"
}
# show_logs: the ends of the daemon's and the Local API's logs, as TAP comments.
show_logs() {
	sed 's/^/# daemon: /' "$DAEMON_LOG" | tail -15
	sed 's/^/# lapi: /' "$LAPI_LOG" | tail -15
}

# --- A Local API with one decision before the daemon starts -----------------
lapi_config db1.sqlite
lapi_register
lapi_start
cs decisions add --ip "$BAN4" --duration 1h --reason xdpfw-before >/dev/null ||
	die "cscli decisions add"

write_conf good.yaml bouncer.key
install_conf good.yaml
daemon_start "$CFG" || die "daemon did not start: $(tail -5 "$DAEMON_LOG")"
check "at start, the whole set (startup=true) bans a decision made before" \
	wait_until 10 dropped "$BAN4"
check "its origin is crowdsec:SCENARIO" banned "$BAN4" "crowdsec:xdpfw-before"
check "the first pull asked for the whole set" [ "$(stream_pulls true)" -ge 1 ]
check "then only for what changed" wait_until 5 pulls_at_least false 1
check "an address without a decision passes" passes "$FREE4"
check "the daemon says it bounces" wait_until 5 grep -q "crowdsec: bouncing for the Local API at http://127.0.0.1:$PORT/" "$DAEMON_LOG"

# --- New decisions while it runs: a range, an IPv6 address ------------------
RANGE=198.18.1.0/24
t0=$(ms_now)
cs decisions add --range "$RANGE" --duration 1h --reason xdpfw-range >/dev/null
t1=$(ms_now)
if wait_until 10 banned "$RANGE" "crowdsec:xdpfw-range"; then
	t2=$(ms_now)
	ok "a --range decision is banned"
	diag "decision latency: $((t2 - t0)) ms from cscli decisions add to the ban in the map ($((t2 - t1)) ms from its return; poll 1000 ms)"
else
	not_ok "a --range decision is banned"
fi
check "frames from inside the range are dropped" dropped 198.18.1.2
check "and from elsewhere in it" dropped 198.18.1.3
cs decisions add --ip "$BAN6" --duration 30m --reason xdpfw-v6 >/dev/null
check "an IPv6 --ip decision drops its frames" wait_until 10 dropped "$BAN6"
check "IPv6 neighbours still pass" passes "$FREE6"

# --- Deletions ---------------------------------------------------------------
# (delete --ip deletes every decision that holds the address, ranges too)
cs decisions delete --ip "$BAN4" >/dev/null
check "cscli decisions delete: frames pass again" wait_until 10 passes "$BAN4"
check "and the ban is gone" not_banned "$BAN4"
# The last writer owns a ban: banned by hand since, a deletion leaves it.
xdpfw ban "$BAN6" --reason by-hand >/dev/null 2>&1
check "a ban by hand takes over a CrowdSec ban" banned "$BAN6" "by-hand"
pulls=$(stream_pulls false)
cs decisions delete --ip "$BAN6" >/dev/null
wait_until 10 pulls_at_least false $((pulls + 2))
check "a CrowdSec deletion leaves a ban made by hand" dropped "$BAN6"
xdpfw unban "$BAN6" >/dev/null 2>&1

# --- The Local API goes down, and comes back with the same database ----------
before=$(log_count "cannot reach the Local API")
bg_kill "$LAPI_PID"
check "the daemon notices the Local API is down" \
	wait_until 10 log_grew_by "cannot reach the Local API" "$before"
t_down=$(ms_now)
sleep 3.5 # retries at +1 s and +3 s: logged once, not per attempt
check_eq "it says so once, not at every retry" "$(log_count "cannot reach the Local API")" $((before + 1))
check "the daemon keeps running" daemon_alive
check "the bans stay in force while it is down" dropped 198.18.1.2
check "the bans stay listed" banned "$RANGE" "crowdsec:xdpfw-range"

lapi_start
cs decisions add --ip 198.18.1.7 --duration 1h --reason xdpfw-after >/dev/null
check "back up: a new decision is caught up" after_backoff "$t_down" banned 198.18.1.7 "crowdsec:xdpfw-after"
check "after the outage it asked for the whole set again" [ "$(stream_pulls true)" -ge 1 ]
check "the bans from before the outage are still in force" dropped 198.18.1.2
check "it says the Local API answers again" grep -q "answers again" "$DAEMON_LOG"

# --- A bad key file: a clear error, the bans stay ----------------------------
echo 0123456789abcdef0123456789abcdef >"$WORK/bad.key"
write_conf bad.yaml bad.key
check "reload with a wrong key" reload_with bad.yaml
check "a wrong key: the error names the file and says what to do" \
	wait_until 10 grep -q "CrowdSec rejected the bouncer key in $WORK/bad.key (HTTP 403): check it with cscli bouncers list" "$DAEMON_LOG"
wait_until 10 rejected_at_least 2
check_eq "said once, though retried" "$(log_count "CrowdSec rejected the bouncer key")" 1
check "the bans stay while the key is wrong" dropped 198.18.1.2
: >"$WORK/empty.key"
write_conf empty.yaml empty.key
reload_with empty.yaml
check "an empty key file: the error names it" \
	wait_until 10 grep -q "crowdsec: $WORK/empty.key: the file is empty" "$DAEMON_LOG"
write_conf missing.yaml missing.key
reload_with missing.yaml
check "a missing key file: the error names it" \
	wait_until 10 grep -q "crowdsec: $WORK/missing.key: cannot read the bouncer key: No such file" "$DAEMON_LOG"
reload_with good.yaml
cs decisions add --ip 198.18.1.8 --duration 1h --reason xdpfw-key-fixed >/dev/null
check "the key fixed: new decisions apply again" wait_until 15 banned 198.18.1.8 "crowdsec:xdpfw-key-fixed"

# --- A Local API that never answers holds up neither a reload nor a stop -----
bg_start "$WORK/hung.log" nsenter --net="/run/netns/$FW_NS" "$PY" -c '
import socket, sys, time
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", int(sys.argv[1])))
s.listen(8)
print("LISTENING", flush=True)
held = []
while True:
    held.append(s.accept()[0])  # accepted, never answered
    print("ACCEPTED", flush=True)
' "$HUNG_PORT"
wait_until 5 grep -q LISTENING "$WORK/hung.log" || die "the silent server did not start"
accepted_more_than() { [ "$(grep -c ACCEPTED "$WORK/hung.log")" -gt "$1" ]; }
write_conf hung.yaml bouncer.key "http://127.0.0.1:$HUNG_PORT/"
check "reload to a Local API that never answers" reload_with hung.yaml
t0=$(ms_now)
check "a reload while the bouncer waits on it is not held up" reload_with good.yaml
diag "that reload took $(($(ms_now) - t0)) ms"
cs decisions add --ip 198.18.1.9 --duration 1h --reason xdpfw-unhung >/dev/null
check "the wait was cut: the new url is polled at once" wait_until 5 banned 198.18.1.9 "crowdsec:xdpfw-unhung"

# --- A fresh database behind the same url: what it no longer holds is lifted -
# (A failover the bouncer sees: one quicker than a poll looks like the same
# Local API, and its deltas are trusted.)
before=$(log_count "cannot reach the Local API")
bg_kill "$LAPI_PID"
wait_until 10 log_grew_by "cannot reach the Local API" "$before" ||
	not_ok "the daemon notices the Local API is down again"
t_down=$(ms_now)
lapi_config db2.sqlite
lapi_register
lapi_start
diag "the new Local API answered $(($(ms_now) - t_down)) ms after the daemon saw the old one go"
add_fresh() { cs decisions add --ip "$BAN4" --duration 1h --reason xdpfw-fresh >/dev/null; }
check "cscli adds a decision to the new Local API" add_fresh
if after_backoff "$t_down" banned "$BAN4" "crowdsec:xdpfw-fresh"; then
	ok "a new Local API's decisions apply"
else
	not_ok "a new Local API's decisions apply"
	show_logs
fi
check "CrowdSec bans it does not hold are lifted" wait_until 5 not_banned "$RANGE"
check "their frames pass again" passes 198.18.1.2

# --- The section removed: the bouncer stops, its bans stay -------------------
write_conf none.yaml
check "reload without a crowdsec section" reload_with none.yaml
# Said once the bouncer thread has stopped, which is after the reload's line.
check "the daemon says the bouncer stops" wait_until 5 grep -q "no crowdsec section any more" "$DAEMON_LOG"
pulls=$(($(stream_pulls true) + $(stream_pulls false)))
cs decisions add --ip 198.18.1.10 --duration 1h --reason xdpfw-ignored >/dev/null
sleep 3 # three polls' time
check_eq "no more polls" "$(($(stream_pulls true) + $(stream_pulls false)))" "$pulls"
check "a decision made since is not applied" not_banned 198.18.1.10
check "the bans stay until they expire" dropped "$BAN4"

# --- SIGTERM while the bouncer waits on a silent Local API -------------------
accepted=$(grep -c ACCEPTED "$WORK/hung.log")
reload_with hung.yaml
wait_until 5 accepted_more_than "$accepted" ||
	not_ok "the bouncer connects to the silent server"
t0=$(ms_now)
kill -TERM "$DAEMON_PID"
wait "$DAEMON_PID"
status=$?
elapsed=$(($(ms_now) - t0))
check_eq "SIGTERM: the daemon exits 0" "$status" 0
check "SIGTERM: it exits at once though a poll is in flight ($elapsed ms)" [ "$elapsed" -lt 2000 ]
check "the bans stay after the daemon is gone" dropped "$BAN4"

xdpfw down >/dev/null 2>&1
finish

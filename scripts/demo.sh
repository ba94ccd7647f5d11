#!/bin/bash
# `make demo`: a 30-second tour of xdpfw between two network namespaces.
# The daemon runs in one namespace with the default config (conf/xdpfw.yaml,
# its eth0 pointed at the demo's veth); real pings, TCP connects and UDP
# datagrams come from the other; then a rule is added and SIGHUP applied.
# shellcheck source=../tests/netns/lib.sh
. "$(dirname "$0")/../tests/netns/lib.sh"

BANNED=198.18.255.254 # banned by conf/xdpfw.yaml's ban-example-source
if [ -t 1 ]; then BOLD=$'\033[1m' PLAIN=$'\033[0m'; else BOLD='' PLAIN=''; fi
step() { printf '\n%s== %s%s\n' "$BOLD" "$*" "$PLAIN"; }
show() {
	local desc=$1 want=$2
	shift 2
	local got=dropped
	"$@" && got=arrives
	if [ "$got" = "$want" ]; then
		printf '  %-58s %s\n' "$desc" "$got"
	else
		printf '  %-58s %s (expected: %s)\n' "$desc" "$got" "$want"
		DEMO_WRONG=$((DEMO_WRONG + 1))
	fi
}
DEMO_WRONG=0

setup
require_xdpfw
# The banned address lives on the peer too, so the only thing stopping it is xdpfw.
ip -n "$PEER_NS" addr add "$BANNED/32" dev "$PEER_DEV"
ip -n "$PEER_NS" route add "$FW4/32" dev "$PEER_DEV" src "$PEER4" 2>/dev/null
ip -n "$FW_NS" route add "$BANNED/32" dev "$FW_DEV"
CONFIG=$WORK/xdpfw.yaml
sed "s/name: eth0/name: $FW_DEV/" "$ROOT/conf/xdpfw.yaml" >"$CONFIG"

step "Two namespaces joined by a veth: the peer ($PEER4, $BANNED, $PEER6) talks to the firewalled host ($FW4, $FW6)"
echo "  config: conf/xdpfw.yaml, with eth0 replaced by $FW_DEV; its rules:"
grep -E '^ *- name:|^ *(src|port|proto|action):' "$CONFIG" | grep -v "$FW_DEV" | sed 's/^/    /'
server_start 22,23 53

step "xdpfw run: the daemon loads the XDP program, pins it, attaches, syncs the rules"
daemon_start "$CONFIG" || exit 1
sed 's/^/  /' "$DAEMON_LOG"

step "Traffic from the peer"
show "ping $PEER4 -> $FW4" arrives ping_ok "$PEER4" "$FW4"
show "ping $BANNED -> $FW4 (ban-example-source)" dropped ping_ok "$BANNED" "$FW4"
show "TCP $PEER4 -> $FW4:22" arrives tcp_ok "$PEER4" "$FW4" 22
show "TCP $PEER4 -> $FW4:23 (drop-telnet)" dropped tcp_ok "$PEER4" "$FW4" 23
show "TCP $BANNED -> $FW4:22 (banned everywhere)" dropped tcp_ok "$BANNED" "$FW4" 22
show "UDP $PEER4 -> $FW4:53" arrives udp_ok "$PEER4" "$FW4" 53
show "ping6 $PEER6 -> $FW6" arrives ping_ok "$PEER6" "$FW6"

step "xdpfw rules: what is in force, with per-rule counters"
xdpfw rules | sed 's/^/  /'

step "Edit the config: drop UDP from $PEER4, then SIGHUP"
cat >>"$CONFIG" <<YAML

  - name: no-udp-from-peer
    src: $PEER4
    proto: udp
    action: drop
YAML
echo "  + no-udp-from-peer: src $PEER4, proto udp, action drop"
daemon_reload || exit 1
tail -n 1 "$DAEMON_LOG" | sed 's/^/  /'
show "UDP $PEER4 -> $FW4:53 (no-udp-from-peer)" dropped udp_ok "$PEER4" "$FW4" 53
show "TCP $PEER4 -> $FW4:22 (still open)" arrives tcp_ok "$PEER4" "$FW4" 22
show "ping $BANNED -> $FW4 (still banned)" dropped ping_ok "$BANNED" "$FW4"

step "xdpfw rules after the reload: unchanged rules kept their counters"
xdpfw rules | sed 's/^/  /'

step "A blocklist from a list file (Spamhaus DROP format): a set and one rule, then SIGHUP"
PEER_NET=${PEER4%.*}.0/24
printf '; demo blocklist, as Spamhaus DROP writes it\n%s ; SBL-DEMO\n198.19.128.0/17 ; SBL-DEMO2\n' \
	"$PEER_NET" >"$WORK/blocklist.txt"
cat >>"$CONFIG" <<YAML

  - name: blocklist
    src: "@blocklist"
    action: drop

  - name: ssh-lab
    src: ${PEER4%.*.*}.0.0/16
    port: 22
    proto: tcp
    action: pass

sets:
  blocklist:
    file: blocklist.txt
YAML
sed 's/^/  /' "$WORK/blocklist.txt"
echo "  + blocklist: src \"@blocklist\"; ssh-lab: src ${PEER4%.*.*}.0.0/16, port 22, pass"
daemon_reload || exit 1
tail -n 1 "$DAEMON_LOG" | sed 's/^/  /'
show "ping $PEER4 -> $FW4 ($PEER_NET in the blocklist)" dropped ping_ok "$PEER4" "$FW4"
show "TCP $PEER4 -> $FW4:22 (the /24 beats ssh-lab's /16)" dropped tcp_ok "$PEER4" "$FW4" 22
echo "  xdpfw explain $PEER4 22/tcp:"
xdpfw explain "$PEER4" 22/tcp | sed 's/^/    /'
xdpfw sets | sed 's/^/  /'
echo "  the list file loses $PEER_NET; SIGHUP"
sed -i "\|^$PEER_NET|d" "$WORK/blocklist.txt"
daemon_reload || exit 1
show "TCP $PEER4 -> $FW4:22 (ssh-lab now decides)" arrives tcp_ok "$PEER4" "$FW4" 22
show "ping $BANNED -> $FW4 (still banned)" dropped ping_ok "$BANNED" "$FW4"

step "Bans, outside the config: xdpfw ban (as fail2ban and CrowdSec do), --for, unban"
xdpfw ban "$PEER4" --for 1h --reason demo | sed 's/^/  /'
show "TCP $PEER4 -> $FW4:22 (banned: before any rule)" dropped tcp_ok "$PEER4" "$FW4" 22
xdpfw bans | sed 's/^/  /'
daemon_reload || exit 1
show "TCP $PEER4 -> $FW4:22 (the ban outlives a reload)" dropped tcp_ok "$PEER4" "$FW4" 22
xdpfw unban "$PEER4" | sed 's/^/  /'
show "TCP $PEER4 -> $FW4:22 (unbanned)" arrives tcp_ok "$PEER4" "$FW4" 22

step "A rate limit: new SSH connections from $PEER6, 1 a minute, then a ban"
cat >"$WORK/limit-rule.yaml" <<YAML
  - name: ssh-syn-limit
    src: $PEER6
    port: 22
    proto: tcp
    tcp_flags: syn
    limit: {rate: 1/m, burst: 1}
    ban_for: 10m
YAML
sed -i "/^rules:/r $WORK/limit-rule.yaml" "$CONFIG"
echo "  + ssh-syn-limit: src $PEER6, port 22, tcp_flags syn, limit 1/m burst 1, ban_for 10m"
daemon_reload || exit 1
show "TCP $PEER6 -> [$FW6]:22 (the first SYN is within the limit)" arrives tcp_ok "$PEER6" "$FW6" 22
show "TCP $PEER6 -> [$FW6]:22 (the second is over it)" dropped tcp_ok "$PEER6" "$FW6" 22
show "ping6 $PEER6 -> $FW6 (over the limit: banned for 10m)" dropped ping_ok "$PEER6" "$FW6"
xdpfw bans | sed 's/^/  /'
xdpfw unban "$PEER6" | sed 's/^/  /'

step "Seeing what it does: log: true on drop-telnet, xdpfw events, Prometheus on 127.0.0.1:9740"
sed -i '/^  - name: drop-telnet$/,/^    action: drop$/ s/^    action: drop$/&\n    log: true/' "$CONFIG"
sed -i 's/^settings:$/&\n  metrics: 127.0.0.1:9740/' "$CONFIG"
echo "  + drop-telnet: log: true; settings: metrics: 127.0.0.1:9740"
daemon_reload || exit 1
bg_start "$WORK/events.txt" nsenter --net="/run/netns/$FW_NS" "$XDPFW" --pin-dir "$PIN_DIR" events
EVENTS_PID=$BG_PID
wait_until 10 grep -qs 'following events' "$WORK/events.txt"
show "TCP $PEER4 -> $FW4:23 (drop-telnet, logged)" dropped tcp_ok "$PEER4" "$FW4" 23
wait_until 5 grep -q drop-telnet "$WORK/events.txt"
kill -INT "$EVENTS_PID"
wait "$EVENTS_PID" 2>/dev/null
echo "  xdpfw events:"
grep -v 'following events' "$WORK/events.txt" | sed 's/^/    /'
echo "  curl http://127.0.0.1:9740/metrics (some of it):"
in_fw curl -s http://127.0.0.1:9740/metrics |
	grep -E '^xdpfw_(rule_packets_total\{rule="drop-telnet"|packets_total\{reason="drop_(rule|ban)"|reloads_total|events_suppressed)' |
	sed 's/^/    /'

step "xdpfw stats: why packets were passed or dropped"
xdpfw stats | sed 's/^/  /'

step "Tear down: SIGTERM leaves the rules in force; xdpfw down removes them"
kill -TERM "$DAEMON_PID"
wait "$DAEMON_PID" 2>/dev/null
show "after SIGTERM: ping $BANNED -> $FW4" dropped ping_ok "$BANNED" "$FW4"
xdpfw down 2>&1 | sed 's/^/  /'
show "after down: ping $BANNED -> $FW4" arrives ping_ok "$BANNED" "$FW4"

if [ "$DEMO_WRONG" -ne 0 ]; then
	printf '\n%d verdicts were not as expected\n' "$DEMO_WRONG"
	exit 1
fi
printf '\nEvery verdict was as expected. Namespaces and pins are cleaned up on exit.\n'

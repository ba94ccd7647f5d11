#!/bin/bash
# Two instances at once, with different pin dirs, on two veths of the same
# namespace: each enforces its own rules, counts on its own, reloads and
# goes down without touching the other.
. "$(dirname "$0")/lib.sh"

setup 2
require_xdpfw
server_start 8080 8081
PIN_A=$BPFFS/a
PIN_B=$BPFFS/b
use_pair 0
DEV_A=$FW_DEV
sniff_start
use_pair 1
DEV_B=$FW_DEV
sniff_start

# Pair 0: 198.18.0.0/24, pair 1: 198.18.1.0/24. A bans .3 of pair 0,
# B bans .2 of pair 1; each also names the other's banned address, to pass.
conf a.yaml >/dev/null <<EOF
interfaces:
  - name: $DEV_A
    mode: native
settings:
  default_action: pass
rules:
  - name: a-ban
    src: 198.18.0.3
  - name: a-udp
    port: 8081
    proto: udp
EOF
conf a2.yaml >/dev/null <<EOF
interfaces:
  - name: $DEV_A
    mode: native
settings:
  default_action: pass
rules:
  - name: a-ban
    src: 198.18.0.3
  - name: a-ban2
    src: 198.18.0.2
    proto: icmp
EOF
conf b.yaml >/dev/null <<EOF
interfaces:
  - name: $DEV_B
    mode: native
settings:
  default_action: pass
rules:
  - name: b-ban
    src: 198.18.1.2
  - name: b-tcp
    port: 8080
    proto: tcp
    action: drop
  - name: b-allow
    src: 198.18.1.3
    action: pass
EOF
cp "$WORK/a.yaml" "$WORK/a-run.yaml"

PIN_DIR=$PIN_A
use_pair 0
check "instance A: daemon on $DEV_A" daemon_start "$WORK/a-run.yaml"
PIN_DIR=$PIN_B
check "instance B: apply on $DEV_B" apply "$WORK/b.yaml"
# shellcheck disable=SC2016 # expanded by eval
check "both interfaces have an XDP program" eval 'xdp_attached "$DEV_A" && xdp_attached "$DEV_B"'

check_eq "A lists its rules only" "$(PIN_DIR=$PIN_A rule_names)" "a-ban a-udp"
check_eq "B lists its rules only" "$(PIN_DIR=$PIN_B rule_names)" "b-allow b-ban b-tcp"

# seen tcp|udp|icmp SRC DST PORT: "drop" if the counters in $PIN_DIR prove
# it, "pass" if answered, "neither" otherwise.
seen() {
	if probe_dropped "$@" >/dev/null; then
		echo drop
	elif case $1 in tcp) tcp_ok "$2" "$3" "$4" ;; udp) udp_ok "$2" "$3" "$4" ;; *) ping_ok "$2" "$3" ;; esac then
		echo pass
	else
		echo neither
	fi
}
verdicts() {
	use_pair 0
	PIN_DIR=$PIN_A
	local r=""
	r+="a.2-tcp:$(seen tcp 198.18.0.2 198.18.0.1 8080) "
	r+="a.3-tcp:$(seen tcp 198.18.0.3 198.18.0.1 8080) "
	r+="a.2-udp:$(seen udp 198.18.0.2 198.18.0.1 8081) "
	r+="a.2-ping:$(seen icmp 198.18.0.2 198.18.0.1 -) "
	use_pair 1
	PIN_DIR=$PIN_B
	r+="b.2-tcp:$(seen tcp 198.18.1.2 198.18.1.1 8080) "
	r+="b.2-udp:$(seen udp 198.18.1.2 198.18.1.1 8081) "
	r+="b.3-udp:$(seen udp 198.18.1.3 198.18.1.1 8081) "
	r+="b.3-tcp:$(seen tcp 198.18.1.3 198.18.1.1 8080) "
	echo "${r% }"
}
check_eq "each instance enforces its own rules" "$(verdicts)" \
	"a.2-tcp:pass a.3-tcp:drop a.2-udp:drop a.2-ping:pass b.2-tcp:drop b.2-udp:drop b.3-udp:pass b.3-tcp:pass"

PIN_DIR=$PIN_A
ca=$(rule_counter a-ban packets)
PIN_DIR=$PIN_B
cb=$(rule_counter b-ban packets)
check "A counted on its own interface ($ca)" test "$ca" -ge 1 2>/dev/null
check "B counted on its own interface ($cb)" test "$cb" -ge 2 2>/dev/null
ballow=$(rule_counter b-allow packets)
check "B's pass rule beat its port rule and counted ($ballow)" test "$ballow" -ge 2 2>/dev/null

# Reload A: B unchanged.
PIN_DIR=$PIN_A
cp "$WORK/a2.yaml" "$WORK/a-run.yaml"
check "instance A: SIGHUP reload" daemon_reload
check_eq "A reloaded" "$(rule_names)" "a-ban a-ban2"
check_eq "B untouched by A's reload" "$(PIN_DIR=$PIN_B rule_names)" "b-allow b-ban b-tcp"
check_eq "verdicts after A's reload" "$(verdicts)" \
	"a.2-tcp:pass a.3-tcp:drop a.2-udp:pass a.2-ping:drop b.2-tcp:drop b.2-udp:drop b.3-udp:pass b.3-tcp:pass"

# A goes down: pair 0 is open, B still enforces, B's pins stay.
kill -TERM "$DAEMON_PID"
wait "$DAEMON_PID" 2>/dev/null
check "A: down" xdpfw down
check_fails "A: no program on $DEV_A" xdp_attached "$DEV_A"
check "B: still on $DEV_B" xdp_attached "$DEV_B"
check_fails "A: pin dir gone or empty" test -n "$(ls -A "$PIN_A" 2>/dev/null)"
check "B: pins intact" test -n "$(ls -A "$PIN_B" 2>/dev/null)"
check_eq "verdicts with A down" "$(verdicts)" \
	"a.2-tcp:pass a.3-tcp:pass a.2-udp:pass a.2-ping:pass b.2-tcp:drop b.2-udp:drop b.3-udp:pass b.3-tcp:pass"
ballow2=$(PIN_DIR=$PIN_B rule_counter b-allow packets)
check "B's counter went on ($ballow -> $ballow2)" test "$ballow2" -gt "$ballow" 2>/dev/null

PIN_DIR=$PIN_B
check "B: down" xdpfw down
check_fails "B: no program on $DEV_B" xdp_attached "$DEV_B"
finish

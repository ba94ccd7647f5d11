#!/bin/bash
# `xdpfw run` daemon: a SIGHUP reload that adds, removes and changes rules
# gives new verdicts on the wire and keeps the counters of unchanged rules;
# a SIGHUP with a broken file (syntax error, invalid port, ...) leaves the
# old rules in force and the daemon alive; another process's apply in
# between is not mistaken for the daemon's own; SIGTERM leaves them enforcing.
. "$(dirname "$0")/lib.sh"

setup
require_xdpfw
server_start 8080,8082,8083 8081
sniff_start

CFG=$WORK/xdpfw.yaml
conf a.yaml >/dev/null <<EOF
interfaces:
  - name: $FW_DEV
    mode: native
settings:
  default_action: pass
rules:
  - name: ban-b
    src: $PEER4B
  - name: keep
    src: 198.19.3.1
  - name: udp8081
    port: 8081
    proto: udp
    action: drop
  - name: moving
    port: 8082
    proto: tcp
EOF
conf b.yaml >/dev/null <<EOF
interfaces:
  - name: $FW_DEV
    mode: native
settings:
  default_action: pass
rules:
  - name: keep
    src: 198.19.3.1
  - name: ban-a6
    src: $PEER6
  - name: udp8081
    port: 8081
    proto: udp
    action: pass
  - name: moving
    port: 8083
    proto: tcp
EOF

# keep_frames N: N frames from the source of the unchanged rule `keep`.
keep_frames() {
	send_frames <<EOF
frames = [Ether(dst=FW_MAC, src=PEER_MAC) / IP(src="198.19.3.1", dst=FW4) / UDP(dport=9) / M("keep") for i in range($1)]
EOF
}

install_conf a.yaml
check "daemon starts with config A" daemon_start "$CFG"
check_eq "A: rules in force" "$(rule_names)" "ban-b keep moving udp8081"
check "A: banned source, TCP" tcp_dropped "$PEER4B" "$FW4" 8080
check "A: other source, TCP" tcp_ok "$PEER4" "$FW4" 8080
check "A: IPv6 source, TCP" tcp_ok "$PEER6" "$FW6" 8080
check "A: UDP 8081 dropped" udp_dropped "$PEER4" "$FW4" 8081
check "A: TCP 8082 dropped" tcp_dropped "$PEER4" "$FW4" 8082
check "A: TCP 8083 passes" tcp_ok "$PEER4" "$FW4" 8083
keep_frames 3
check_eq "A: keep counted 3 packets" "$(rule_counter keep packets)" 3
udp_before=$(rule_counter udp8081 packets)
check "A: udp8081 counted the dropped datagram(s) ($udp_before)" test "$udp_before" -ge 1 2>/dev/null

install_conf b.yaml
check "SIGHUP with config B: the daemon logs the reload" daemon_reload
check "B: daemon still alive" daemon_alive
check_eq "B: rules in force" "$(rule_names)" "ban-a6 keep moving udp8081"
check_eq "B: the unchanged rule kept its counter" "$(rule_counter keep packets)" 3
check_eq "B: same name and match, new action: counter kept" \
	"$(rule_counter udp8081 packets)" "$udp_before"
check_eq "B: changed match (port 8082 -> 8083): counter starts at 0" \
	"$(rule_counter moving packets)" 0
check "B: removed ban: the source gets through" tcp_ok "$PEER4B" "$FW4" 8080
check "B: added ban: IPv6 source dropped" tcp_dropped "$PEER6" "$FW6" 8080
check "B: changed action: UDP 8081 passes" udp_ok "$PEER4" "$FW4" 8081
check "B: changed port: TCP 8082 passes" tcp_ok "$PEER4" "$FW4" 8082
check "B: changed port: TCP 8083 dropped" tcp_dropped "$PEER4" "$FW4" 8083
keep_frames 2
check_fails "B: keep still drops" arrived keep
check_eq "B: keep counts on from 3" "$(rule_counter keep packets)" 5

# Broken files: nothing changes, the daemon lives on.
b_names=$(rule_names)
broken() {
	local what=$1
	cp "$WORK/b.yaml" "$WORK/broken.yaml"
	case $what in
	syntax) printf 'rules: [ {name: x\n  src: : :\n' >>"$WORK/broken.yaml" ;;
	port) sed -i 's/port: 8083/port: 70000/' "$WORK/broken.yaml" ;;
	unknown-key) sed -i 's/^  - name: keep$/  - name: keep\n    colour: red/' "$WORK/broken.yaml" ;;
	duplicate) sed -i 's/name: ban-a6/name: keep/' "$WORK/broken.yaml" ;;
	esac
	xdpfw check "$WORK/broken.yaml" >/dev/null 2>&1 && diag "broken file ($what) passed check?"
	install_conf broken.yaml
	check "broken file ($what): SIGHUP is answered with a log line" daemon_reload
	check "broken file ($what): daemon still alive" daemon_alive
	check_eq "broken file ($what): rules unchanged" "$(rule_names)" "$b_names"
	check "broken file ($what): B's ban still holds" tcp_dropped "$PEER6" "$FW6" 8080
	check "broken file ($what): B's pass still holds" udp_ok "$PEER4" "$FW4" 8081
}
for what in syntax port unknown-key duplicate; do
	broken "$what"
done
check_eq "broken files: keep's counter untouched" "$(rule_counter keep packets)" 5
diag "daemon log:"
sed 's/^/#   /' "$DAEMON_LOG"

# Back to A: A's verdicts again, counters of unchanged rules still there.
install_conf a.yaml
check "SIGHUP back to config A" daemon_reload
check "A again: banned source dropped" tcp_dropped "$PEER4B" "$FW4" 8080
check "A again: IPv6 source passes" tcp_ok "$PEER6" "$FW6" 8080
check_eq "A again: keep still at 5" "$(rule_counter keep packets)" 5

# Another writer between reloads: `xdpfw apply` of config C rewrites the
# idle set, the one the daemon last wrote with B. The daemon writes only
# differences into sets it knows; it must not trust what it knew of that
# one, or C's extra ban would outlive the next reloads.
sed "s/^rules:$/rules:\n  - name: ban-c\n    src: $PEER4\n    port: 8080\n    proto: tcp/" \
	"$WORK/b.yaml" >"$WORK/c.yaml"
check "another process applies config C" apply "$WORK/c.yaml"
check "C: its extra ban holds" tcp_dropped "$PEER4" "$FW4" 8080
install_conf b.yaml
check "SIGHUP with config B after C" daemon_reload
check "B after C: C's ban is gone" tcp_ok "$PEER4" "$FW4" 8080
check "B after C: B's ban holds" tcp_dropped "$PEER6" "$FW6" 8080
install_conf a.yaml
check "SIGHUP with config A after C, into the set C was written to" daemon_reload
check "A after C: C's ban is gone" tcp_ok "$PEER4" "$FW4" 8080
check "A after C: A's ban holds" tcp_dropped "$PEER4B" "$FW4" 8080
check "A after C: IPv6 source passes" tcp_ok "$PEER6" "$FW6" 8080

# SIGTERM: the daemon exits 0 and leaves the datapath enforcing.
kill -TERM "$DAEMON_PID"
wait_until 5 eval '! daemon_alive'
wait "$DAEMON_PID"
check_eq "SIGTERM: daemon exits 0" "$?" 0
check "after SIGTERM: still attached" xdp_attached
check "after SIGTERM: the ban still holds" tcp_dropped "$PEER4B" "$FW4" 8080
check "after SIGTERM: other sources pass" tcp_ok "$PEER4" "$FW4" 8080

check "down" xdpfw down
finish

#!/bin/bash
# kill -9 of the daemon: the rules still hold and the counters go on; a new
# `run` re-adopts the pinned state with the counters intact. kill -9 in the
# middle of a reload leaves one whole rule set in force, the one `rules`
# lists.
. "$(dirname "$0")/lib.sh"

setup
require_xdpfw
server_start 8080 -
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
    src: 198.19.6.1
EOF
# B adds a ban on 198.19.6.2 ("flip") and many more rules, so a reload
# takes a while and a kill lands inside it.
{
	cat "$WORK/a.yaml"
	printf '  - name: flip\n    src: 198.19.6.2\n'
	for i in $(seq 1 2000); do
		printf '  - name: b-%d\n    src: 2001:2:0:ee::%x\n' "$i" "$i"
	done
} >"$WORK/b.yaml"

keep_frames() {
	send_frames <<EOF
frames = [Ether(dst=FW_MAC, src=PEER_MAC) / IP(src="198.19.6.1", dst=FW4) / UDP(dport=9) / M("keep") for i in range($1)]
EOF
}

install_conf a.yaml
check "daemon starts" daemon_start "$CFG"
keep_frames 4
check_eq "keep counted 4" "$(rule_counter keep packets)" 4

kill -9 "$DAEMON_PID"
wait "$DAEMON_PID" 2>/dev/null
check_fails "daemon is gone after kill -9" daemon_alive
check "still attached after kill -9" xdp_attached
check "after kill -9: the banned source is still dropped" tcp_dropped "$PEER4B" "$FW4" 8080
check "after kill -9: other sources pass" tcp_ok "$PEER4" "$FW4" 8080
keep_frames 3
check_fails "after kill -9: keep still drops" arrived keep
check_eq "after kill -9: rules still readable, keep counted on to 7" "$(rule_counter keep packets)" 7

check "restart re-adopts" daemon_start "$CFG"
check_eq "after restart: counters intact" "$(rule_counter keep packets)" 7
check_eq "after restart: one XDP program on the interface" \
	"$(ip -n "$FW_NS" -d link show dev "$FW_DEV" | grep -c 'prog/xdp')" 1
check "after restart: the banned source is still dropped" tcp_dropped "$PEER4B" "$FW4" 8080
keep_frames 2
check_eq "after restart: keep counts on to 9" "$(rule_counter keep packets)" 9

# kill -9 at different moments of a reload A -> B. Whatever set is in force
# afterwards must be whole: `rules` lists A or B, and the wire agrees.
a_count=2
b_count=2003
i=0
for delay in 0 0.002 0.005 0.01 0.02 0.05; do
	i=$((i + 1))
	install_conf b.yaml
	kill -HUP "$DAEMON_PID"
	sleep "$delay" # varies where the kill lands; nothing is asserted on it
	kill -9 "$DAEMON_PID"
	wait "$DAEMON_PID" 2>/dev/null
	n=$(rules_json && jq length "$WORK/rules.json")
	case $n in
	"$a_count") set_in_force=A ;;
	"$b_count") set_in_force=B ;;
	*) set_in_force="neither ($n rules)" ;;
	esac
	check "kill -9 during reload $i: one whole set in force ($set_in_force)" \
		test "$set_in_force" = A -o "$set_in_force" = B
	send_frames <<EOF
frames = [Ether(dst=FW_MAC, src=PEER_MAC) / IP(src="198.19.6.2", dst=FW4) / UDP(dport=9) / M("flip$i")]
EOF
	if [ "$set_in_force" = B ]; then
		check_fails "kill -9 during reload $i: B in force, flip is dropped" arrived "flip$i"
	else
		check "kill -9 during reload $i: A in force, flip passes" arrived "flip$i"
	fi
	check "kill -9 during reload $i: the ban in both sets holds" tcp_dropped "$PEER4B" "$FW4" 8080
	check_eq "kill -9 during reload $i: keep's counter survived" "$(rule_counter keep packets)" 9
	install_conf a.yaml
	daemon_start "$CFG" || {
		not_ok "restart after kill -9 during reload $i"
		break
	}
	check_eq "restart after kill -9 during reload $i: A in force" "$(rules_json && jq length "$WORK/rules.json")" "$a_count"
done
check_eq "keep's counter intact through it all" "$(rule_counter keep packets)" 9

check "down" xdpfw down
finish

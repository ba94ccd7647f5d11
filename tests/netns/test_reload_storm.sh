#!/bin/bash
# Traffic flows during 50 back-to-back SIGHUP reloads alternating between
# two configs. A source banned in both configs never gets through; a source
# allowed in both always does; their rule counters survive every reload and
# count every frame exactly once. Counted with the sniffer and the rule
# counters, never by timing.
. "$(dirname "$0")/lib.sh"

setup
require_xdpfw
sniff_start

CFG=$WORK/xdpfw.yaml
# Both configs: ban-x and allow-y, identical; everything else differs,
# including the default action and the rule count.
{
	cat <<EOF
interfaces:
  - name: $FW_DEV
settings:
  default_action: pass
rules:
  - name: ban-x
    src: 198.19.4.1
  - name: allow-y
    src: 198.19.4.2
    action: pass
EOF
	for i in $(seq 1 40); do
		printf '  - name: a-%d\n    src: 198.19.5.%d\n' "$i" "$i"
	done
} >"$WORK/a.yaml"
{
	cat <<EOF
interfaces:
  - name: $FW_DEV
settings:
  default_action: drop
rules:
  - name: allow-y
    src: 198.19.4.2
    action: pass
  - name: b-port
    port: 9
    proto: udp
    action: pass
  - name: ban-x
    src: 198.19.4.1
EOF
	for i in $(seq 1 25); do
		printf '  - name: b-%d\n    src: 2001:2:0:ff::%x\n    proto: tcp\n' "$i" "$i"
	done
} >"$WORK/b.yaml"

install_conf a.yaml
check "daemon starts with config A" daemon_start "$CFG"

# x: banned in both; y: allowed in both; z: passes in A, dropped in B
# (unchecked, it just varies the verdicts); w: UDP/9, passes in both
# (A by default, B by b-port).
stream_start <<'EOF'
e = Ether(dst=FW_MAC, src=PEER_MAC)
frames = [
    e / IP(src="198.19.4.1", dst=FW4) / UDP(dport=9) / M("x"),
    e / IP(src="198.19.4.2", dst=FW4) / TCP(dport=80) / M("y"),
    e / IP(src="198.19.4.4", dst=FW4) / TCP(dport=80) / M("z"),
    e / IP(src="198.19.4.1", dst=FW4) / TCP(dport=80) / M("x"),
    e / IP(src="198.19.4.5", dst=FW4) / UDP(dport=9) / M("w"),
]
EOF
check "traffic is flowing before the storm" wait_until 5 arrived y

base=$(log_lines)
done_reloads=0
for i in $(seq 1 50); do
	if [ $((i % 2)) = 1 ]; then install_conf b.yaml; else install_conf a.yaml; fi
	kill -HUP "$DAEMON_PID" || break
	wait_until 10 log_grew $((base + i - 1)) || break
	done_reloads=$i
done
check_eq "50 reloads done, each logged" "$done_reloads" 50
check "daemon alive after the storm" daemon_alive
a_names=$( (echo ban-x allow-y; seq -f 'a-%g' 1 40) | tr ' ' '\n' | LC_ALL=C sort | tr '\n' ' ')
check_eq "config A in force after an even number of reloads" "$(rule_names)" "${a_names% }"

# shellcheck disable=SC2016 # expanded by eval
check "traffic still flowing after the storm" wait_until 5 eval '[ "$(arrivals y)" -gt 0 ]'
check "stream stopped, sentinel arrived" stream_stop
x=$(streamed x)
y=$(streamed y)
w=$(streamed w)
diag "streamed: $(tr '\n' ' ' <"$STREAM_OUT")"
check "the stream sent a real load (x=$x, y=$y)" test "$x" -ge 200 -a "$y" -ge 100
check_eq "banned in both: no frame got through" "$(arrivals x)" 0
check_eq "allowed in both: every frame got through" "$(arrivals y)" "$y"
check_eq "UDP/9 passing in both: every frame got through" "$(arrivals w)" "$w"
z=$(streamed z)
za=$(arrivals z)
check "traffic overlapped the storm: z passed under A and was dropped under B ($za of $z)" \
	test "$za" -gt 0 -a "$za" -lt "$z"
check_eq "ban-x counted every frame exactly once, across all reloads" \
	"$(rule_counter ban-x packets)" "$x"
check_eq "allow-y counted every frame exactly once, across all reloads" \
	"$(rule_counter allow-y packets)" "$y"
if [ "$(arrivals y)" != "$y" ] || [ "$(rule_counter ban-x packets)" != "$x" ]; then
	diag "veth drops (a cause other than the firewall):"
	ip -n "$PEER_NS" -s link show dev "$PEER_DEV" | sed 's/^/#   /'
	ip -n "$FW_NS" -s link show dev "$FW_DEV" | sed 's/^/#   /'
fi

finish

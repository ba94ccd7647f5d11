#!/bin/bash
# Self-test of lib.sh without the firewall: every traffic helper must see
# delivery when there is delivery, and non-delivery when there is none
# (closed port, unassigned address, link down, frame sent elsewhere).
. "$(dirname "$0")/lib.sh"

setup 2
use_pair 0
server_start 8080 8081

check "bpffs mounted for the pin dir" test "$(stat -f -c %T "$BPFFS")" = bpf_fs
check "interface names fit IFNAMSIZ" test ${#FW_DEV} -le 15 -a ${#PEER_DEV} -le 15

check "tcp_ok: IPv4 connection accepted" tcp_ok "$PEER4" "$FW4" 8080
check "tcp_ok: from the second source" tcp_ok "$PEER4B" "$FW4" 8080
check "tcp_ok: IPv6 connection accepted" tcp_ok "$PEER6" "$FW6" 8080
check_fails "tcp_ok: closed port fails" tcp_ok "$PEER4" "$FW4" 8099
check_fails "tcp_ok: unassigned address fails" tcp_ok "$PEER4" 198.18.0.99 8080
check_fails "tcp_ok: unassigned IPv6 address fails" tcp_ok "$PEER6" 2001:2::99 8080

check "udp_ok: IPv4 datagram answered" udp_ok "$PEER4" "$FW4" 8081
check "udp_ok: IPv6 datagram answered" udp_ok "$PEER6" "$FW6" 8081
check_fails "udp_ok: closed port fails" udp_ok "$PEER4" "$FW4" 8099
check_fails "udp_ok: unassigned address fails" udp_ok "$PEER4" 198.18.0.99 8081

check "ping_ok: IPv4" ping_ok "$PEER4B" "$FW4"
check "ping_ok: IPv6" ping_ok "$PEER6B" "$FW6"
check_fails "ping_ok: unassigned IPv4 fails" ping_ok "$PEER4" 198.18.0.99
check_fails "ping_ok: unassigned IPv6 fails" ping_ok "$PEER6" 2001:2::99

udp_send "$PEER4B" "$FW4" 8081 5
check "udp_count: 5 datagrams counted" wait_until 3 test "$(udp_count "$PEER4B" 8081)" -eq 5
check_eq "udp_count: none from an address that sent none" "$(udp_count 198.18.0.77 8081)" 0

sniff_start
send_frames <<'EOF'
frames = [
    Ether(dst=FW_MAC, src=PEER_MAC) / IP(src="198.19.0.1", dst=FW4) / UDP(sport=1, dport=9) / M("plain"),
    Ether(dst=FW_MAC, src=PEER_MAC) / Dot1Q(vlan=5) / IP(src="198.19.0.1", dst=FW4) / UDP(dport=9) / M("vlan"),
    Ether(dst=FW_MAC, src=PEER_MAC, type=0x88a8) / Dot1Q(vlan=6) / Dot1Q(vlan=7) / IP(src="198.19.0.1", dst=FW4) / UDP(dport=9) / M("qinq"),
    Ether(dst=FW_MAC, src=PEER_MAC) / IPv6(src="2001:2:0:f1::1", dst=FW6) / IPv6ExtHdrDestOpt() / TCP(dport=22) / M("ext6"),
    Ether(dst=FW_MAC, src=PEER_MAC) / IP(src="198.19.0.1", dst=FW4, flags="MF", frag=0, proto=6) / (bytes(TCP(dport=22)) + M("frag0")),
]
EOF
check "send_frames: sentinel arrived" test $? -eq 0
for id in plain vlan qinq ext6 frag0; do
	check "arrived: $id frame seen past XDP" arrived "$id"
done
check_fails "arrived: an id never sent is absent" arrived never
# Ethernet 14 + IPv4 20 + UDP 8 + marker "XDPFWTplain;" 12
check_eq "sent_len: length of the plain frame" "$(sent_len plain)" 54
check_eq "sent_bytes: sum of lengths" "$(sent_bytes plain vlan)" $((54 + 14 + 4 + 20 + 8 + 11))

# A frame sent on the other pair never reaches pair 0's sniffer, although a
# later frame on pair 0 does.
use_pair 1
sniff_start
send_frames <<'EOF' || true
frames = [Ether(dst=FW_MAC, src=PEER_MAC) / IP(src="198.19.0.1", dst=FW4) / UDP(dport=9) / M("elsewhere")]
EOF
check "arrived: the frame on pair 1 reached pair 1's sniffer" arrived elsewhere
use_pair 0
send_frames <<'EOF'
frames = [Ether(dst=FW_MAC, src=PEER_MAC) / IP(src="198.19.0.1", dst=FW4) / UDP(dport=9) / M("after")]
EOF
check "arrived: the later frame on pair 0" arrived after
check_fails "arrived: a frame sent on another veth is not seen" arrived elsewhere

# The drop probes fail when nothing drops: their frame gets through.
for kind in tcp udp icmp; do
	check_fails "probe_blocked: an unfiltered $kind probe is not blocked" probe_blocked "$kind" "$PEER4" "$FW4" 8080
	check "probe_blocked: the $kind probe frame was seen past XDP" arrived "$PROBE_ID"
	check_fails "probe_blocked: an unfiltered IPv6 $kind probe is not blocked" probe_blocked "$kind" "$PEER6" "$FW6" 8080
	check "probe_blocked: the IPv6 $kind probe frame was seen past XDP" arrived "$PROBE_ID"
done
check_fails "tcp_dropped: no firewall, no drop counters: not proven" tcp_dropped "$PEER4B" "$FW4" 8080

# Link down: nothing gets through, and every helper says so.
ip -n "$FW_NS" link set "$FW_DEV" down
check_fails "link down: tcp_ok fails" tcp_ok "$PEER4" "$FW4" 8080
check_fails "link down: udp_ok fails" udp_ok "$PEER4" "$FW4" 8081
check_fails "link down: ping_ok fails" ping_ok "$PEER4" "$FW4"
check_fails "link down: send_frames_try reports the lost sentinel" send_frames_try <<'EOF'
frames = []
EOF
check_fails "link down: probe_blocked reports the lost sentinel" probe_blocked tcp "$PEER4" "$FW4" 8080
ip -n "$FW_NS" link set "$FW_DEV" up
check "link up again: tcp_ok recovers" wait_until 5 tcp_ok "$PEER4" "$FW4" 8080

# The EXIT trap removes namespaces and bpffs mounts even when a test dies.
out2=$(bash -c '. "$1"; setup; echo "$FW_NS $PEER_NS $BPFFS"; exit 3' x "$NETNS_DIR/lib.sh")
check "aborted script prints not ok" grep -q '^not ok' <<<"$out2"
read -r ns1 ns2 mnt <<<"$(grep -v '^not ok' <<<"$out2" | tail -1)"
check "cleanup: namespaces removed after abort" test -n "$ns1" -a ! -e "/run/netns/$ns1" -a ! -e "/run/netns/$ns2"
check_fails "cleanup: bpffs unmounted after abort" mountpoint -q "$mnt"

finish

#!/bin/bash
# IPv6: source, port and proto rules on real IPv6 traffic; all 16 address
# bytes are compared; icmp and icmpv6 are told apart; neighbour discovery
# passes even when ICMPv6 is dropped.
. "$(dirname "$0")/lib.sh"

setup
require_xdpfw
server_start 8080,8082 8081,8083
sniff_start

a=$(conf v6.yaml <<EOF
interfaces:
  - name: $FW_DEV
settings:
  default_action: pass
rules:
  - name: ban6
    src: $PEER6B
  - name: udp6
    src: $PEER6
    port: 8081
    proto: udp
  - name: tcp8082
    port: 8082
    proto: tcp
  - name: noicmp4
    proto: icmp
EOF
)
check "apply the IPv6 deny-list" apply "$a"
check "banned IPv6 source: TCP fails" tcp_dropped "$PEER6B" "$FW6" 8080
check "banned IPv6 source: UDP fails" udp_dropped "$PEER6B" "$FW6" 8083
check "banned IPv6 source: ping -6 fails" ping_dropped "$PEER6B" "$FW6"
check "the same host's IPv4 address is not banned" tcp_ok "$PEER4B" "$FW4" 8080
check "other IPv6 source: TCP works" tcp_ok "$PEER6" "$FW6" 8080
check "(src6, 8081, udp): UDP 8081 dropped" udp_dropped "$PEER6" "$FW6" 8081
check "(src6, 8081, udp): UDP 8083 passes" udp_ok "$PEER6" "$FW6" 8083
check "(any, 8082, tcp): IPv6 TCP 8082 dropped" tcp_dropped "$PEER6" "$FW6" 8082
check "proto icmp does not match ICMPv6: ping -6 works" ping_ok "$PEER6" "$FW6"
check "proto icmp matches ICMP: ping fails" ping_dropped "$PEER4" "$FW4"

# Every byte of the address counts: sources that differ from the banned one
# in a single byte (any of the 16) pass; the banned one itself is dropped.
send_frames <<'EOF'
import socket
banned = socket.inet_pton(socket.AF_INET6, "2001:2::3")
frames = []
for k in range(16):
    a = bytearray(banned)
    a[k] ^= 0x40
    src = socket.inet_ntop(socket.AF_INET6, bytes(a))
    frames.append(Ether(dst=FW_MAC, src=PEER_MAC) / IPv6(src=src, dst=FW6) / UDP(dport=9) / M("flip%d" % k))
frames.append(Ether(dst=FW_MAC, src=PEER_MAC) / IPv6(src="2001:2::3", dst=FW6) / UDP(dport=9) / M("exact"))
EOF
check_fails "crafted frame from the banned address is dropped" arrived exact
for k in $(seq 0 15); do
	check "source differing in byte $k passes" arrived "flip$k"
done

b=$(conf v6b.yaml <<EOF
interfaces:
  - name: $FW_DEV
settings:
  default_action: pass
rules:
  - name: noicmp6
    proto: icmpv6
  - name: noicmp6-x
    src: 2001:2:0:ff::9
    proto: icmpv6
EOF
)
check "apply proto icmpv6 drop" apply "$b"
check "proto icmpv6: ping -6 fails" ping_dropped "$PEER6" "$FW6"
check "proto icmpv6 does not match ICMP: ping works" ping_ok "$PEER4" "$FW4"
ip -n "$FW_NS" neigh flush dev "$FW_DEV"
ip -n "$PEER_NS" neigh flush dev "$PEER_DEV"
check "proto icmpv6 drop: ND still works (TCP over a cold cache)" tcp_ok "$PEER6B" "$FW6" 8080
# Crafted from a source no other traffic uses: ND types 133-137 pass and
# are not counted by the icmpv6 rule; an echo request and an MLD report
# (ICMPv6, but not ND) are dropped by it.
send_frames <<'EOF'
e = Ether(dst=FW_MAC, src=PEER_MAC)
ip = IPv6(src="2001:2:0:ff::9", dst=FW6, hlim=255)
frames = [
    e / ip / ICMPv6ND_RS() / M("rs133"),
    e / ip / ICMPv6ND_RA() / M("ra134"),
    e / ip / ICMPv6ND_NS(tgt=FW6) / M("ns135"),
    e / ip / ICMPv6ND_NA(tgt="2001:2:0:ff::9") / M("na136"),
    e / ip / ICMPv6ND_Redirect(tgt="2001:2:0:ff::9", dst="2001:2:0:ff::8") / M("redirect137"),
    e / ip / ICMPv6EchoRequest() / M("echo128"),
    e / ip / ICMPv6MLReport2() / M("mld143"),
]
EOF
for id in rs133 ra134 ns135 na136 redirect137; do
	check "proto icmpv6 drop: ND ${id%%[0-9]*} (type ${id##*[a-z]}) passes" arrived "$id"
done
check_fails "proto icmpv6 drop: echo request dropped" arrived echo128
check_fails "proto icmpv6 drop: MLD report (not ND) dropped" arrived mld143
check_eq "the icmpv6 rule counted exactly the echo request and the MLD report" \
	"$(rule_counter noicmp6-x packets)" 2

c=$(conf v6c.yaml <<EOF
interfaces:
  - name: $FW_DEV
settings:
  default_action: drop
rules:
  - name: allow6
    src: $PEER6
    action: pass
EOF
)
check "apply an IPv6 allow-list" apply "$c"
check "allowed IPv6 source: TCP works" tcp_ok "$PEER6" "$FW6" 8080
check "allowed IPv6 source: UDP works" udp_ok "$PEER6" "$FW6" 8081
check "allowed IPv6 source: ping -6 works" ping_ok "$PEER6" "$FW6"
check "other IPv6 source: TCP dropped" tcp_dropped "$PEER6B" "$FW6" 8080
check "IPv4 from the same host: dropped" tcp_dropped "$PEER4" "$FW4" 8080

check "down" xdpfw down
finish

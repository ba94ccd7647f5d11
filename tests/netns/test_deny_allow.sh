#!/bin/bash
# Deny-list (default pass) and allow-list (default drop) configs, seen with
# TCP, UDP and ping; ARP and IPv6 neighbour discovery still work under
# default drop.
. "$(dirname "$0")/lib.sh"

setup
require_xdpfw
server_start 8080,8081,8082,8083,8084 8080,8081,8082,8083,8084

deny=$(conf deny.yaml <<EOF
interfaces:
  - name: $FW_DEV
    mode: native
settings:
  default_action: pass
rules:
  - name: ban-b
    src: $PEER4B
  - name: no-udp-8081
    port: 8081
    proto: udp
    action: drop
  - name: no-tcp-8082
    port: 8082
    proto: tcp
  - name: no-8084
    port: 8084
    proto: any
EOF
)
check "deny-list: apply" apply "$deny"

check "deny-list: TCP 8080 from an unlisted source" tcp_ok "$PEER4" "$FW4" 8080
check "deny-list: UDP 8083 from an unlisted source" udp_ok "$PEER4" "$FW4" 8083
check "deny-list: ping from an unlisted source" ping_ok "$PEER4" "$FW4"
check "deny-list: banned source, TCP 8080" tcp_dropped "$PEER4B" "$FW4" 8080
check "deny-list: banned source, UDP 8083" udp_dropped "$PEER4B" "$FW4" 8083
check "deny-list: banned source, ping" ping_dropped "$PEER4B" "$FW4"
check "deny-list: UDP 8081 dropped" udp_dropped "$PEER4" "$FW4" 8081
check "deny-list: TCP 8081 passes (rule is udp only)" tcp_ok "$PEER4" "$FW4" 8081
check "deny-list: TCP 8082 dropped" tcp_dropped "$PEER4" "$FW4" 8082
check "deny-list: UDP 8082 passes (rule is tcp only)" udp_ok "$PEER4" "$FW4" 8082
check "deny-list: proto any + port: TCP 8084 dropped" tcp_dropped "$PEER4" "$FW4" 8084
check "deny-list: proto any + port: UDP 8084 dropped" udp_dropped "$PEER4" "$FW4" 8084
check "deny-list: IPv6 unaffected by an IPv4 ban" tcp_ok "$PEER6B" "$FW6" 8080
check "deny-list: IPv6 UDP 8081 dropped" udp_dropped "$PEER6" "$FW6" 8081

# A port rule never matches ICMP, which has no port.
icmp=$(conf icmp.yaml <<EOF
interfaces:
  - name: $FW_DEV
settings:
  default_action: pass
rules:
  - name: no-port-8080
    port: 8080
  - name: no-icmp-from-b
    src: $PEER4B
    proto: icmp
EOF
)
check "port rules: apply" apply "$icmp"
check "port rules: TCP 8080 dropped" tcp_dropped "$PEER4" "$FW4" 8080
c0=$(rule_counter no-port-8080 packets)
check "port rules: ping still passes (ICMP has no port)" ping_ok "$PEER4" "$FW4"
check "port rules: (src, icmp) drops that source's ping" ping_dropped "$PEER4B" "$FW4"
check "port rules: ... but not its TCP" tcp_ok "$PEER4B" "$FW4" 8083
check_eq "port rules: no-port-8080 did not count the pings" "$(rule_counter no-port-8080 packets)" "$c0"

allow=$(conf allow.yaml <<EOF
interfaces:
  - name: $FW_DEV
    mode: native
settings:
  default_action: drop
rules:
  - name: web
    port: 8080
    proto: tcp
    action: pass
  - name: udp-8081-from-a
    src: $PEER4
    port: 8081
    proto: udp
    action: pass
  - name: udp-8081-from-a6
    src: $PEER6
    port: 8081
    proto: udp
    action: pass
  - name: ping
    proto: icmp
    action: pass
  - name: ping6
    proto: icmpv6
    action: pass
EOF
)
check "allow-list: apply" apply "$allow"
check "allow-list: TCP 8080 from any source" tcp_ok "$PEER4B" "$FW4" 8080
check "allow-list: TCP 8080 over IPv6" tcp_ok "$PEER6B" "$FW6" 8080
check "allow-list: TCP 8083 dropped by default" tcp_dropped "$PEER4" "$FW4" 8083
check "allow-list: UDP 8080 dropped by default (rule is tcp)" udp_dropped "$PEER4" "$FW4" 8080
check "allow-list: UDP 8081 from the allowed source" udp_ok "$PEER4" "$FW4" 8081
check "allow-list: UDP 8081 from the allowed IPv6 source" udp_ok "$PEER6" "$FW6" 8081
check "allow-list: UDP 8081 from another source dropped" udp_dropped "$PEER4B" "$FW4" 8081
check "allow-list: ping passes (icmp rule)" ping_ok "$PEER4B" "$FW4"
check "allow-list: ping -6 passes (icmpv6 rule)" ping_ok "$PEER6B" "$FW6"

# Allow-list without ICMP: only TCP 8080 gets in, yet the link still works.
strict=$(conf strict.yaml <<EOF
interfaces:
  - name: $FW_DEV
settings:
  default_action: drop
rules:
  - name: web
    port: 8080
    proto: tcp
    action: pass
EOF
)
check "strict allow-list: apply" apply "$strict"
check "strict allow-list: ping dropped" ping_dropped "$PEER4" "$FW4"
check "strict allow-list: ping -6 dropped" ping_dropped "$PEER6" "$FW6"
link0=$(stat_counter pass_link packets)

has_lladdr() { ip -n "$1" neigh show "$2" dev "$3" | grep -q lladdr; }
flush_neigh() {
	ip -n "$FW_NS" neigh flush dev "$FW_DEV"
	ip -n "$PEER_NS" neigh flush dev "$PEER_DEV"
}

# ARP: the firewalled side resolves the peer (the ARP reply comes in), and
# the peer resolves the firewalled side (the ARP request comes in). A
# datagram starts each resolution; the entry's address says it finished.
flush_neigh
in_fw "$PY" "$HELPER" udpsend "$FW4" "$PEER4" 9 1
check "default drop: ARP reply reaches the firewalled side" wait_until 5 has_lladdr "$FW_NS" "$PEER4" "$FW_DEV"
flush_neigh
udp_send "$PEER4B" "$FW4" 9 1
check "default drop: ARP request from the peer is answered" wait_until 5 has_lladdr "$PEER_NS" "$FW4" "$PEER_DEV"
flush_neigh
# ND: the same with neighbour solicitation / advertisement.
in_fw "$PY" "$HELPER" udpsend "$FW6" "$PEER6" 9 1
check "default drop: neighbour advertisement reaches the firewalled side" wait_until 5 has_lladdr "$FW_NS" "$PEER6" "$FW_DEV"
flush_neigh
udp_send "$PEER6B" "$FW6" 9 1
check "default drop: neighbour solicitation from the peer is answered" wait_until 5 has_lladdr "$PEER_NS" "$FW6" "$PEER_DEV"
flush_neigh
check "default drop: TCP after a cold neighbour cache (IPv4)" tcp_ok "$PEER4B" "$FW4" 8080
check "default drop: TCP after a cold neighbour cache (IPv6)" tcp_ok "$PEER6B" "$FW6" 8080
link1=$(stat_counter pass_link packets)
# At least: ARP reply, ARP request, NA, NS, then an ARP request and an NS.
check "pass_link counted ARP/ND ($link0 -> $link1)" test "$link1" -ge $((link0 + 6)) 2>/dev/null

check "down" xdpfw down
check "after down: TCP 8083 passes" tcp_ok "$PEER4" "$FW4" 8083

finish

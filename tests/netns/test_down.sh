#!/bin/bash
# `xdpfw down`: detaches from every interface of the config (two here), and
# removes every pin; afterwards everything passes, a second `down` is
# harmless, and a new apply starts from scratch.
. "$(dirname "$0")/lib.sh"

setup 2
require_xdpfw
server_start 8080 8081
use_pair 1
DEV1=$FW_DEV
use_pair 0
DEV0=$FW_DEV
sniff_start

cfg=$(conf down.yaml <<EOF
interfaces:
  - name: $DEV0
    mode: native
  - name: $DEV1
    mode: native
settings:
  default_action: drop
  fragments: drop
rules:
  - name: web
    src: $PEER4
    port: 8080
    proto: tcp
    action: pass
  - name: web6
    src: $PEER6
    port: 8080
    proto: tcp
    action: pass
EOF
)
check "apply on two interfaces" apply "$cfg"
check "attached to $DEV0" xdp_attached "$DEV0"
check "attached to $DEV1" xdp_attached "$DEV1"
check "pins exist" test -n "$(find "$PIN_DIR" -mindepth 1 2>/dev/null)"
check "allowed: TCP 8080 from $PEER4" tcp_ok "$PEER4" "$FW4" 8080
check "default drop: TCP from $PEER4B" tcp_dropped "$PEER4B" "$FW4" 8080
check "default drop: UDP" udp_dropped "$PEER4" "$FW4" 8081
check "default drop: ping" ping_dropped "$PEER4" "$FW4"
# shellcheck disable=SC2016 # expanded by eval
check "default drop: ping on the second veth" eval 'use_pair 1; ping_dropped "$PEER4" "$FW4"'
use_pair 0

check "down exits 0" xdpfw down
check_fails "no XDP program on $DEV0" xdp_attached "$DEV0"
check_fails "no XDP program on $DEV1" xdp_attached "$DEV1"
check_eq "no pin left under the pin dir" "$(find "$PIN_DIR" -mindepth 1 2>/dev/null)" ""
check "the bpffs itself is still mounted" mountpoint -q "$BPFFS"

check "after down: TCP from the unlisted source" tcp_ok "$PEER4B" "$FW4" 8080
check "after down: IPv6 TCP from the unlisted source" tcp_ok "$PEER6B" "$FW6" 8080
check "after down: UDP" udp_ok "$PEER4" "$FW4" 8081
check "after down: ping" ping_ok "$PEER4" "$FW4"
check "after down: ping -6" ping_ok "$PEER6B" "$FW6"
# shellcheck disable=SC2016 # expanded by eval
check "after down: ping on the second veth" eval 'use_pair 1; ping_ok "$PEER4" "$FW4"'
use_pair 0
send_frames <<'EOF'
e = Ether(dst=FW_MAC, src=PEER_MAC)
frames = [
    e / IP(src="198.19.7.1", dst=FW4, flags="MF") / UDP(dport=9) / M("frag"),
    e / IP(src="198.19.7.1", dst=FW4) / TCP(dport=22) / M("tcp22"),
    e / IP(src="198.19.7.1", dst=FW4, ihl=4) / UDP(dport=9) / M("malformed"),
]
EOF
for id in frag tcp22 malformed; do
	check "after down: crafted $id frame arrives" arrived "$id"
done

check "a second down exits 0" xdpfw down

check "apply again after down" apply "$cfg"
check_eq "fresh counters after down + apply" "$(rule_counters packets web web6)" "web=0 web6=0"
check "enforcing again" tcp_dropped "$PEER4B" "$FW4" 8080
check "down again" xdpfw down
check_eq "no pin left" "$(find "$PIN_DIR" -mindepth 1 2>/dev/null)" ""
finish

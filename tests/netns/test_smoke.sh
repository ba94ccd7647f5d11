#!/bin/bash
# Smoke: `xdpfw apply` attaches natively to a veth with a config that bans
# one source; real frames from the peer: the banned source is dropped (ping
# and TCP fail), another source gets through; then `down` lets it back in.
. "$(dirname "$0")/lib.sh"

setup
require_xdpfw
server_start 8080 -

cfg=$(conf smoke.yaml <<EOF
interfaces:
  - name: $FW_DEV
    mode: native
settings:
  default_action: pass
rules:
  - name: ban-b
    src: $PEER4B
    action: drop
  - name: ban-b6
    src: $PEER6B
EOF
)

# Before: both sources reach the firewalled namespace.
check "before apply: banned-to-be source can ping" ping_ok "$PEER4B" "$FW4"
check "before apply: banned-to-be source can connect" tcp_ok "$PEER4B" "$FW4" 8080

check "apply exits 0" apply "$cfg"
check "an XDP program is attached to $FW_DEV" xdp_attached
check_eq "it is attached in native mode" "$(xdp_mode)" native

check "banned source: ping fails" ping_dropped "$PEER4B" "$FW4"
check "banned source: TCP connect fails" tcp_dropped "$PEER4B" "$FW4" 8080
check "banned IPv6 source: ping -6 fails" ping_dropped "$PEER6B" "$FW6"
check "banned IPv6 source: TCP connect fails" tcp_dropped "$PEER6B" "$FW6" 8080
check "other source: ping works" ping_ok "$PEER4" "$FW4"
check "other source: TCP connect works" tcp_ok "$PEER4" "$FW4" 8080
check "other IPv6 source: ping -6 works" ping_ok "$PEER6" "$FW6"
check "other IPv6 source: TCP connect works" tcp_ok "$PEER6" "$FW6" 8080
check_eq "the server saw only the pre-apply connection from the banned source" \
	"$(grep -c "^tcp $PEER4B " "$SERVER_LOG")" 1

n=$(rule_counter ban-b packets)
check "ban-b counted the dropped packets ($n)" test "$n" -ge 2 2>/dev/null

check "down exits 0" xdpfw down
check_fails "no XDP program after down" xdp_attached
check "after down: the banned source can ping" ping_ok "$PEER4B" "$FW4"
check "after down: the banned source can connect" tcp_ok "$PEER4B" "$FW4" 8080

finish

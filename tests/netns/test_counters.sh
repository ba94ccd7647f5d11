#!/bin/bash
# Exact per-rule packet and byte counters (bytes = whole frame length) after
# known frames, exact global stats deltas, and counters that survive a
# re-apply while a rule's name and match stay the same.
. "$(dirname "$0")/lib.sh"

setup
require_xdpfw
sniff_start

cfg=$(conf counters.yaml <<EOF
interfaces:
  - name: $FW_DEV
settings:
  default_action: pass
rules:
  - name: cnt-drop
    src: 198.19.1.1
    action: drop
  - name: cnt-pass
    src: 198.19.1.2
    action: pass
  - name: cnt-port
    port: 7777
    proto: udp
  - name: cnt-v6
    src: 2001:2:0:ff::1
  - name: cnt-icmp
    src: 198.19.1.3
    proto: icmp
  - name: cnt-idle
    src: 198.19.1.99
EOF
)
check "apply" apply "$cfg"
all=(cnt-drop cnt-pass cnt-port cnt-v6 cnt-icmp cnt-idle)
check_eq "all counters start at 0 packets" "$(rule_counters packets "${all[@]}")" \
	"cnt-drop=0 cnt-pass=0 cnt-port=0 cnt-v6=0 cnt-icmp=0 cnt-idle=0"
check_eq "all counters start at 0 bytes" "$(rule_counters bytes "${all[@]}")" \
	"cnt-drop=0 cnt-pass=0 cnt-port=0 cnt-v6=0 cnt-icmp=0 cnt-idle=0"

# The global counters before the frames: S0[key.packets], S0[key.bytes].
declare -A S0
for k in drop_rule pass_rule drop_malformed pass_non_ip; do
	S0[$k.packets]=$(stat_counter "$k" packets)
	S0[$k.bytes]=$(stat_counter "$k" bytes)
done
# delta KEY FIELD: how much a global counter grew since then.
delta() { echo $(($(stat_counter "$1" "$2") - ${S0[$1.$2]})); }

# Frames of many sizes; ids say which rule must count them.
send_frames <<'EOF'
e = Ether(dst=FW_MAC, src=PEER_MAC)
def pad(n): return Raw(b"x" * n)
frames = []
for i, n in enumerate([0, 10, 100, 500, 1400]):
    frames.append(e / IP(src="198.19.1.1", dst=FW4) / TCP(dport=80 + i) / M("drop%d" % i) / pad(n))
frames.append(e / Dot1Q(vlan=3) / IP(src="198.19.1.1", dst=FW4) / UDP(dport=1) / M("drop5"))
for i, n in enumerate([0, 33, 1000]):
    frames.append(e / IP(src="198.19.1.2", dst=FW4) / UDP(dport=7777) / M("pass%d" % i) / pad(n))
for i, n in enumerate([7, 700]):
    frames.append(e / IP(src="198.19.1.4", dst=FW4) / UDP(dport=7777) / M("port%d" % i) / pad(n))
for i, n in enumerate([0, 200, 1300]):
    frames.append(e / IPv6(src="2001:2:0:ff::1", dst=FW6) / TCP(dport=22) / M("v6-%d" % i) / pad(n))
for i, n in enumerate([56, 1000]):
    frames.append(e / IP(src="198.19.1.3", dst=FW4) / ICMP() / M("icmp%d" % i) / pad(n))
# Not counted by any rule: same source as cnt-icmp but TCP; other port.
frames.append(e / IP(src="198.19.1.3", dst=FW4) / TCP(dport=7777) / M("none0"))
frames.append(e / IP(src="198.19.1.4", dst=FW4) / UDP(dport=7778) / M("none1"))
# Malformed: IHL 4; TCP header cut short.
frames.append(e / IP(src="198.19.1.5", dst=FW4, ihl=4) / UDP(dport=1) / M("bad0"))
frames.append(e / IP(src="198.19.1.5", dst=FW4, proto=6) / Raw(b"\x00\x50\x00\x16" + M("bad1")))
# Non-IP, passed and counted.
frames.append(Ether(dst=FW_MAC, src=PEER_MAC, type=0x88b6) / M("nonip0") / pad(50))
EOF
check "frames sent, sentinel arrived" test $? -eq 0

ids() { awk -v p="^$1" '$1 ~ p { print $1 }' "$SENT"; }
# The expected byte count: the lengths of the frames sent (never 0).
want_b() {
	local b
	# shellcheck disable=SC2046 # one id a word
	b=$(sent_bytes $(ids "$1"))
	[ "$b" -gt 0 ] && echo "$b" || echo "no-frames-sent"
}

check_eq "cnt-drop: packets" "$(rule_counter cnt-drop packets)" 6
check_eq "cnt-drop: bytes (incl. the VLAN-tagged frame)" "$(rule_counter cnt-drop bytes)" "$(want_b drop)"
check_eq "cnt-pass: packets" "$(rule_counter cnt-pass packets)" 3
check_eq "cnt-pass: bytes" "$(rule_counter cnt-pass bytes)" "$(want_b pass)"
check_eq "cnt-port: packets" "$(rule_counter cnt-port packets)" 2
check_eq "cnt-port: bytes" "$(rule_counter cnt-port bytes)" "$(want_b port)"
check_eq "cnt-v6: packets" "$(rule_counter cnt-v6 packets)" 3
check_eq "cnt-v6: bytes" "$(rule_counter cnt-v6 bytes)" "$(want_b v6-)"
check_eq "cnt-icmp: packets" "$(rule_counter cnt-icmp packets)" 2
check_eq "cnt-icmp: bytes" "$(rule_counter cnt-icmp bytes)" "$(want_b icmp)"
check_eq "cnt-idle: still 0 packets" "$(rule_counter cnt-idle packets)" 0

for id in $(ids drop) $(ids port) $(ids v6-) $(ids icmp) bad0 bad1; do
	check_fails "$id dropped" arrived "$id"
done
for id in $(ids pass) none0 none1 nonip0; do
	check "$id passed" arrived "$id"
done

mapfile -t drops < <(ids drop; ids port; ids v6-; ids icmp)
check_eq "stats drop_rule: packets delta" "$(delta drop_rule packets)" \
	13
check_eq "stats drop_rule: bytes delta" "$(delta drop_rule bytes)" \
	"$(sent_bytes "${drops[@]}")"
check_eq "stats pass_rule: packets delta" "$(delta pass_rule packets)" 3
check_eq "stats pass_rule: bytes delta" "$(delta pass_rule bytes)" \
	"$(want_b pass)"
check_eq "stats drop_malformed: packets delta" \
	"$(delta drop_malformed packets)" 2
check_eq "stats drop_malformed: bytes delta" \
	"$(delta drop_malformed bytes)" "$(sent_bytes bad0 bad1)"
# The non-IP frame and send_frames' sentinel (ethertype 0x88b5).
check_eq "stats pass_non_ip: packets delta (frame + sentinel)" \
	"$(delta pass_non_ip packets)" 2
check_eq "stats pass_non_ip: bytes delta (frame + sentinel)" \
	"$(delta pass_non_ip bytes)" \
	"$(($(sent_bytes nonip0) + $(sentinel_len)))"

# Re-applying the same config keeps every counter; so does a changed config
# for the rules whose name and match are unchanged (even if the action
# changed). A rule whose match changed starts again from 0.
before=$(rule_counters packets "${all[@]}")
before_b=$(rule_counters bytes "${all[@]}")
check "re-apply the same config" apply "$cfg"
check_eq "same config: packet counters kept" "$(rule_counters packets "${all[@]}")" "$before"
check_eq "same config: byte counters kept" "$(rule_counters bytes "${all[@]}")" "$before_b"

cfg2=$(conf counters2.yaml <<EOF
interfaces:
  - name: $FW_DEV
settings:
  default_action: drop
rules:
  - name: new-rule
    src: 198.19.1.50
  - name: cnt-pass
    src: 198.19.1.2
    action: drop
  - name: cnt-drop
    src: 198.19.1.1
    action: drop
  - name: cnt-port
    port: 7778
    proto: udp
  - name: cnt-v6
    src: 2001:2:0:ff::1
EOF
)
check "apply a changed config" apply "$cfg2"
after=$(rule_counters packets cnt-drop cnt-pass cnt-v6 cnt-port new-rule)
want=""
for r in cnt-drop cnt-pass cnt-v6; do want+="$(tr ' ' '\n' <<<"$before" | grep "^$r=") "; done
check_eq "changed config: unchanged rules kept their counters, changed/new ones start at 0" \
	"$after" "${want}cnt-port=0 new-rule=0"
check_eq "changed config: removed rules are gone" "$(rule_names)" "cnt-drop cnt-pass cnt-port cnt-v6 new-rule"

finish

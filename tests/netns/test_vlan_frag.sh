#!/bin/bash
# Wrappers never hide a packet, on the wire: 802.1Q, QinQ (802.1ad and
# double 802.1Q), IPv4 options, IPv4 fragments, IPv6 extension headers and
# fragments; malformed frames are dropped and counted; `fragments: drop`
# drops every fragment.
. "$(dirname "$0")/lib.sh"

setup
require_xdpfw
sniff_start

inspect=$(conf inspect.yaml <<EOF
interfaces:
  - name: $FW_DEV
    mode: native
settings:
  default_action: pass
  fragments: inspect
rules:
  - name: ban
    src: 198.19.2.1
  - name: ban6
    src: 2001:2:0:ff::21
  - name: tcp22
    port: 22
    proto: tcp
  - name: udp5300
    port: 5300
    proto: udp
  - name: tcp-from-5
    src: 198.19.2.5
    proto: tcp
EOF
)
check "apply (fragments: inspect)" apply "$inspect"

# A helper the frame scripts share: E() an Ethernet header; other source.
cat >"$WORK/common.py" <<'EOF'
def E(*tags, outer=0x8100, et=None):
    """Ethernet header with VLAN tags; et sets the innermost ethertype
    (needed before a Raw payload, which scapy cannot infer it from)."""
    e = Ether(dst=FW_MAC, src=PEER_MAC)
    if tags:
        e.type = outer
        for t in tags:
            e = e / Dot1Q(vlan=t)
    if et is not None:
        e.lastlayer().type = et
    return e
OK4 = "198.19.2.2"     # no source rule
BAN4 = "198.19.2.1"
OK6 = "2001:2:0:ff::22"
BAN6 = "2001:2:0:ff::21"
PORT22 = b"\x00\x50\x00\x16"   # what a TCP header to port 22 starts with
EOF

m0=$(stat_counter drop_malformed packets)
{
	cat "$WORK/common.py"
	cat <<'EOF'
frames = [
    # 802.1Q
    E(10) / IP(src=BAN4, dst=FW4) / UDP(dport=9) / M("vlan-ban"),
    E(10) / IP(src=OK4, dst=FW4) / TCP(dport=22) / M("vlan-tcp22"),
    E(10) / IPv6(src=BAN6, dst=FW6) / UDP(dport=9) / M("vlan-ban6"),
    E(10) / IPv6(src=OK6, dst=FW6) / TCP(dport=22) / M("vlan-tcp22-6"),
    E(10) / IP(src=OK4, dst=FW4) / TCP(dport=80) / M("vlan-ok"),
    # QinQ: 802.1ad outer tag, and two 802.1Q tags
    E(100, 200, outer=0x88a8) / IP(src=BAN4, dst=FW4) / UDP(dport=9) / M("qinq-ban"),
    E(100, 200, outer=0x88a8) / IPv6(src=OK6, dst=FW6) / UDP(dport=5300) / M("qinq-udp5300-6"),
    E(100, 200, outer=0x88a8) / IP(src=OK4, dst=FW4) / TCP(dport=80) / M("qinq-ok"),
    E(100, 200) / IP(src=BAN4, dst=FW4) / UDP(dport=9) / M("dot1q2-ban"),
    E(100, 200) / IP(src=OK4, dst=FW4) / TCP(dport=22) / M("dot1q2-tcp22"),
    E(100, 200) / IP(src=OK4, dst=FW4) / TCP(dport=80) / M("dot1q2-ok"),
    # IPv4 options: 4 and 40 bytes
    E() / IP(src=OK4, dst=FW4, options=IPOption(b"\x01\x01\x01\x00")) / TCP(dport=22) / M("opt4-tcp22"),
    E() / IP(src=OK4, dst=FW4, options=IPOption(b"\x01" * 40)) / TCP(dport=22) / M("opt40-tcp22"),
    E(10) / IP(src=OK4, dst=FW4, options=IPOption(b"\x01" * 40)) / UDP(dport=5300) / M("vlan-opt40-udp5300"),
    E() / IP(src=OK4, dst=FW4, options=IPOption(b"\x01" * 40)) / TCP(dport=80) / M("opt40-ok"),
    # IPv4 fragments
    E() / IP(src=OK4, dst=FW4, flags="MF", frag=0) / TCP(dport=22) / M("frag4-first-tcp22"),
    E() / IP(src=OK4, dst=FW4, flags="MF", frag=0) / UDP(dport=5300) / M("frag4-first-udp5300"),
    E() / IP(src=OK4, dst=FW4, flags="MF", frag=0) / TCP(dport=80) / M("frag4-first-ok"),
    E() / IP(src=OK4, dst=FW4, proto=6, frag=8) / Raw(PORT22 + M("frag4-last-looks22")),
    E() / IP(src=OK4, dst=FW4, proto=6, flags="MF", frag=16) / Raw(PORT22 + M("frag4-mid-looks22")),
    E() / IP(src=BAN4, dst=FW4, proto=17, frag=8) / Raw(M("frag4-last-ban")),
    E() / IP(src="198.19.2.5", dst=FW4, proto=6, frag=8) / Raw(PORT22 + M("frag4-last-srcproto")),
    E() / IP(src="198.19.2.5", dst=FW4, proto=17, frag=8) / Raw(PORT22 + M("frag4-last-otherproto")),
    E(10) / IP(src=OK4, dst=FW4, flags="MF", frag=0, options=IPOption(b"\x01" * 8)) / TCP(dport=22) / M("vlan-opt-frag4-first-tcp22"),
    # IPv6 extension headers
    E() / IPv6(src=OK6, dst=FW6) / IPv6ExtHdrHopByHop() / TCP(dport=22) / M("hbh-tcp22"),
    E() / IPv6(src=OK6, dst=FW6) / IPv6ExtHdrDestOpt() / IPv6ExtHdrRouting() / IPv6ExtHdrDestOpt() / TCP(dport=22) / M("dst-rt-dst-tcp22"),
    E() / IPv6(src=OK6, dst=FW6) / IPv6ExtHdrHopByHop() / IPv6ExtHdrDestOpt() / UDP(dport=5300) / M("hbh-dst-udp5300"),
    E() / IPv6(src=OK6, dst=FW6) / IPv6ExtHdrHopByHop() / IPv6ExtHdrDestOpt() / TCP(dport=80) / M("hbh-dst-ok"),
    E() / IPv6(src=BAN6, dst=FW6) / IPv6ExtHdrHopByHop() / IPv6ExtHdrRouting() / UDP(dport=9) / M("ext-ban6"),
    E() / IPv6(src=OK6, dst=FW6) / IPv6ExtHdrFragment(offset=0, m=1) / TCP(dport=22) / M("frag6-first-tcp22"),
    E() / IPv6(src=OK6, dst=FW6) / IPv6ExtHdrFragment(offset=0, m=1) / TCP(dport=80) / M("frag6-first-ok"),
    E() / IPv6(src=OK6, dst=FW6) / IPv6ExtHdrFragment(nh=6, offset=8, m=0) / Raw(PORT22 + M("frag6-last-looks22")),
    E() / IPv6(src=BAN6, dst=FW6) / IPv6ExtHdrFragment(nh=17, offset=8, m=0) / Raw(M("frag6-last-ban6")),
    E(100, 200, outer=0x88a8) / IPv6(src=OK6, dst=FW6) / IPv6ExtHdrHopByHop() / IPv6ExtHdrFragment(offset=0, m=1) / TCP(dport=22) / M("qinq-hbh-frag6-first-tcp22"),
]
EOF
} >"$WORK/frames.py"
send_frames <"$WORK/frames.py"
check "wrapped frames sent, sentinel arrived" test $? -eq 0

for id in vlan-ban vlan-tcp22 vlan-ban6 vlan-tcp22-6 qinq-ban qinq-udp5300-6 dot1q2-ban \
	dot1q2-tcp22 opt4-tcp22 opt40-tcp22 vlan-opt40-udp5300 frag4-first-tcp22 \
	frag4-first-udp5300 frag4-last-ban frag4-last-srcproto vlan-opt-frag4-first-tcp22 \
	hbh-tcp22 dst-rt-dst-tcp22 hbh-dst-udp5300 ext-ban6 frag6-first-tcp22 frag6-last-ban6 \
	qinq-hbh-frag6-first-tcp22; do
	check_fails "$id: dropped" arrived "$id"
done
for id in vlan-ok qinq-ok dot1q2-ok opt40-ok frag4-first-ok frag6-first-ok hbh-dst-ok; do
	check "$id: passes" arrived "$id"
done
# Non-first fragments carry no ports: bytes that look like port 22 must
# not be read as one, and only port-less rules decide.
check "frag4-last-looks22: non-first IPv4 fragment is not matched by a port rule" arrived frag4-last-looks22
check "frag4-mid-looks22: middle IPv4 fragment is not matched by a port rule" arrived frag4-mid-looks22
check "frag6-last-looks22: non-first IPv6 fragment is not matched by a port rule" arrived frag6-last-looks22
check "frag4-last-otherproto: (src, any, tcp) does not match a UDP fragment" arrived frag4-last-otherproto
check_eq "tcp22 counted the 11 TCP/22 frames" "$(rule_counter tcp22 packets)" 11
check_eq "ban counted the 4 frames from the banned IPv4 source" "$(rule_counter ban packets)" 4
check_eq "ban6 counted the 3 frames from the banned IPv6 source" "$(rule_counter ban6 packets)" 3
check_eq "no frame so far was malformed" "$(stat_counter drop_malformed packets)" "$m0"

# Malformed frames: dropped and counted as malformed. The marker sits where
# the sniffer can find it: in the truncated header, in IPv4 options, or in
# the payload. Inside a truncated header it must stay short enough that the
# header is still cut short (an IPv4 header is 20 bytes: 2 + 18 at most).
{
	cat "$WORK/common.py"
	cat <<'EOF'
frames = [
    E() / IP(src=OK4, dst=FW4, ihl=3) / UDP(dport=9) / M("ihl3"),
    E() / IP(src=OK4, dst=FW4, ihl=4) / UDP(dport=9) / M("ihl4"),
    E() / IP(src=OK4, dst=FW4, version=6) / UDP(dport=9) / M("v4-says-6"),
    Ether(dst=FW_MAC, src=PEER_MAC, type=0x86dd) / IP(src=OK4, dst=FW4) / UDP(dport=9) / M("v6-says-4"),
    E(et=0x0800) / Raw(b"\x45\x00" + M("ip4-cut")),
    E(10, et=0x0800) / Raw(b"\x45\x00" + M("v-ip4-cut")),
    E() / IP(src=OK4, dst=FW4, ihl=15) / Raw(M("opts-cut")),
    E() / IP(src=OK4, dst=FW4, proto=6) / Raw(b"\x00\x50" + M("tcp-cut")),
    E() / IP(src=OK4, dst=FW4, proto=17, options=IPOption(M("udpcut") + b"\x01")) / Raw(b"\x00\x35\x00"),
    E() / IPv6(src=OK6, dst=FW6, nh=6) / Raw(b"\x00\x50" + M("tcp6-cut")),
    E(et=0x86dd) / Raw(b"\x60\x00\x00\x00" + M("ip6-cut")),
    E() / IPv6(src=OK6, dst=FW6, nh=0) / Raw(b"\x06\x0a" + M("hbh-cut")),
]
EOF
} >"$WORK/frames.py"
send_frames <"$WORK/frames.py"
bad="ihl3 ihl4 v4-says-6 v6-says-4 ip4-cut v-ip4-cut opts-cut tcp-cut udpcut tcp6-cut ip6-cut hbh-cut"
for id in $bad; do
	check_fails "malformed $id: dropped" arrived "$id"
done
m1=$(stat_counter drop_malformed packets)
check_eq "drop_malformed counted the 12 malformed frames" "$((m1 - m0))" 12

# An extension-header chain too long to walk must never let a packet by:
# 40 destination-options headers, then TCP to port 22.
{
	cat "$WORK/common.py"
	cat <<'EOF'
p = E() / IPv6(src=OK6, dst=FW6)
for i in range(40):
    p = p / IPv6ExtHdrDestOpt()
frames = [p / TCP(dport=22) / M("long-chain-tcp22")]
EOF
} >"$WORK/frames.py"
send_frames <"$WORK/frames.py"
check_fails "40 extension headers then TCP/22: dropped" arrived long-chain-tcp22

drop=$(conf drop.yaml <<EOF
interfaces:
  - name: $FW_DEV
    mode: native
settings:
  default_action: pass
  fragments: drop
rules:
  - name: allow-9
    src: 198.19.2.9
    action: pass
EOF
)
check "apply (fragments: drop)" apply "$drop"
f0=$(stat_counter drop_fragment packets)
{
	cat "$WORK/common.py"
	cat <<'EOF'
frames = [
    E() / IP(src=OK4, dst=FW4, flags="MF", frag=0) / TCP(dport=80) / M("d-frag4-first"),
    E() / IP(src=OK4, dst=FW4, proto=6, frag=8) / Raw(M("d-frag4-last")),
    E() / IP(src=OK4, dst=FW4, proto=6, flags="MF", frag=8) / Raw(M("d-frag4-mid")),
    E() / IP(src="198.19.2.9", dst=FW4, flags="MF", frag=0) / UDP(dport=80) / M("d-frag4-allowed-src"),
    E(10) / IP(src=OK4, dst=FW4, proto=17, frag=8) / Raw(M("d-vlan-frag4")),
    E() / IPv6(src=OK6, dst=FW6) / IPv6ExtHdrFragment(offset=0, m=1) / TCP(dport=80) / M("d-frag6-first"),
    E() / IPv6(src=OK6, dst=FW6) / IPv6ExtHdrFragment(nh=17, offset=8, m=0) / Raw(M("d-frag6-last")),
    E(100, 200, outer=0x88a8) / IPv6(src=OK6, dst=FW6) / IPv6ExtHdrHopByHop() / IPv6ExtHdrFragment(nh=17, offset=8, m=1) / Raw(M("d-qinq-hbh-frag6")),
    E() / IP(src=OK4, dst=FW4) / TCP(dport=80) / M("d-whole4"),
    E() / IP(src=OK4, dst=FW4, flags="DF") / TCP(dport=80) / M("d-whole4-df"),
    E() / IPv6(src=OK6, dst=FW6) / IPv6ExtHdrHopByHop() / TCP(dport=80) / M("d-whole6"),
]
EOF
} >"$WORK/frames.py"
send_frames <"$WORK/frames.py"
for id in d-frag4-first d-frag4-last d-frag4-mid d-frag4-allowed-src d-vlan-frag4 d-frag6-first \
	d-frag6-last d-qinq-hbh-frag6; do
	check_fails "fragments: drop: $id dropped" arrived "$id"
done
for id in d-whole4 d-whole4-df d-whole6; do
	check "fragments: drop: $id (not a fragment) passes" arrived "$id"
done
f1=$(stat_counter drop_fragment packets)
check_eq "drop_fragment counted the 8 fragments" "$((f1 - f0))" 8
check_eq "the pass rule did not count its dropped fragment" "$(rule_counter allow-9 packets)" 0

finish

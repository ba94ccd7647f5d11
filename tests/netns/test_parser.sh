#!/bin/bash
# The parser on real, padded frames: the IP length fields bound every header
# (bytes past them are link padding, never ports), so a padded tiny first
# fragment is malformed; TCP behind AH meets port rules in IPv4 and IPv6;
# an IPv6 atomic fragment is no fragment under `fragments: drop`.
# Drops are proven by counters: the malformed, fragment and rule counters
# move by exactly the frames that should move them.
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
  - name: ssh
    port: 22
    proto: tcp
  - name: dns
    port: 5300
    proto: udp
EOF
)
check "apply (fragments: inspect)" apply "$inspect"

cat >"$WORK/common.py" <<'EOF'
def E():
    return Ether(dst=FW_MAC, src=PEER_MAC)
def AH_(nh):
    """AH with a 96-bit ICV: 24 bytes, Payload Len 4."""
    return AH(nh=nh, payloadlen=4, spi=0x100, seq=1, icv=b"\0" * 12)
OK4 = "198.19.2.2"
OK6 = "2001:2:0:ff::22"
TCP22 = bytes(TCP(sport=20, dport=22))  # what a parser reading padding would find
EOF

# stat_delta / rule_delta NAME BEFORE: how many packets NAME counted since BEFORE.
stat_delta() { echo $(($(stat_counter "$1" packets) - $2)); }
rule_delta() { echo $(($(rule_counter "$1" packets) - $2)); }

# ---- AH: the TCP or UDP header behind it decides, in both IP versions.
ssh0=$(rule_counter ssh packets)
dns0=$(rule_counter dns packets)
{
	cat "$WORK/common.py"
	cat <<'EOF'
frames = [
    E() / IP(src=OK4, dst=FW4) / AH_(6) / TCP(dport=22) / M("ah4-tcp22"),
    E() / IP(src=OK4, dst=FW4) / AH_(51) / AH_(6) / TCP(dport=22) / M("ah4-ah4-tcp22"),
    E() / IP(src=OK4, dst=FW4) / AH_(17) / UDP(dport=5300) / M("ah4-udp5300"),
    E() / IPv6(src=OK6, dst=FW6) / AH_(6) / TCP(dport=22) / M("ah6-tcp22"),
    E() / IPv6(src=OK6, dst=FW6) / IPv6ExtHdrHopByHop() / AH_(60) / IPv6ExtHdrDestOpt() / TCP(dport=22) / M("hbh-ah6-dst-tcp22"),
    E() / IPv6(src=OK6, dst=FW6) / AH_(17) / UDP(dport=5300) / M("ah6-udp5300"),
    E() / IP(src=OK4, dst=FW4) / AH_(6) / TCP(dport=80) / M("ah4-tcp80"),
    E() / IPv6(src=OK6, dst=FW6) / AH_(6) / TCP(dport=80) / M("ah6-tcp80"),
]
EOF
} >"$WORK/ah.py"
send_frames <"$WORK/ah.py"
for id in ah4-tcp22 ah4-ah4-tcp22 ah4-udp5300 ah6-tcp22 hbh-ah6-dst-tcp22 ah6-udp5300; do
	check_fails "$id: dropped" arrived "$id"
done
for id in ah4-tcp80 ah6-tcp80; do
	check "$id: no rule for port 80, passes" arrived "$id"
done
check_eq "ssh counted the 4 TCP/22 frames behind AH (v4 and v6)" "$(rule_delta ssh "$ssh0")" 4
check_eq "dns counted the 2 UDP/5300 frames behind AH (v4 and v6)" "$(rule_delta dns "$dns0")" 2

# ---- IP length fields: every frame below is malformed. PAD() pads a short
# frame to 60 bytes as every sender does; scapy keeps an explicit len/plen.
m0=$(stat_counter drop_malformed packets)
ssh0=$(rule_counter ssh packets)
dns0=$(rule_counter dns packets)
{
	cat "$WORK/common.py"
	cat <<'EOF'
frames = [
    # The tiny fragment: 8 bytes of TCP in a first fragment, zero padding to
    # 60 bytes. Read from the padding, the TCP header looked complete.
    PAD(E() / IP(src=OK4, dst=FW4, proto=6, flags="MF") / Raw(bytes(TCP(dport=80))[:8])),
    # The same with a TCP header to port 22 in the padding.
    PAD(E() / IP(src=OK4, dst=FW4, proto=6, flags="MF") / Raw(TCP22[:8]), fill=TCP22[8:]),
    # An IPv6 tiny first fragment, followed by a link trailer that completes the header.
    E() / IPv6(src=OK6, dst=FW6, plen=16) / IPv6ExtHdrFragment(nh=6, offset=0, m=1) / Raw(TCP22[:8]) / Raw(TCP22[8:]),
    # Headers wholly in the padding: total length 20, payload length 0.
    PAD(E() / IP(src=OK4, dst=FW4, proto=6, len=20) / TCP(dport=22)),
    E() / IPv6(src=OK6, dst=FW6, nh=6, plen=0) / TCP(dport=22),
    # A UDP header cut at 4 bytes by the total length: its port is there, the header is not.
    PAD(E() / IP(src=OK4, dst=FW4, len=24) / UDP(dport=5300)),
    # Total length below IHL*4; total or payload length longer than the frame.
    PAD(E() / IP(src=OK4, dst=FW4, proto=47, len=16)),
    PAD(E() / IP(src=OK4, dst=FW4, len=200) / UDP(dport=80)),
    E() / IPv6(src=OK6, dst=FW6, plen=200) / UDP(dport=80),
    # AH reaching past the total length.
    PAD(E() / IP(src=OK4, dst=FW4, len=32) / AH_(6) / TCP(dport=22)),
]
# Well-formed controls: junk padding that reads like a TCP header to port 22.
frames += [
    PAD(E() / IP(src=OK4, dst=FW4) / UDP(dport=80) / M("pad4-ok"), fill=TCP22),
    PAD(E() / IP(src=OK4, dst=FW4, proto=6, flags="MF") / TCP(dport=80), fill=TCP22),
]
EOF
} >"$WORK/lengths.py"
send_frames <"$WORK/lengths.py"
check_eq "drop_malformed counted the 10 frames whose headers the IP length fields cut" \
	"$(stat_delta drop_malformed "$m0")" 10
check_eq "ssh read no port from the padding" "$(rule_delta ssh "$ssh0")" 0
check_eq "dns read no port from the padding" "$(rule_delta dns "$dns0")" 0
check "pad4-ok: a padded UDP frame passes, its padding not read" arrived pad4-ok
check_eq "the sent tiny fragment was a 60-byte frame" "$(awk 'NR == 1 { print $2 }' "$SENT")" 60

# ---- IPv6 atomic fragments (RFC 6946) are whole packets under fragments: drop.
drop=$(conf drop.yaml <<EOF
interfaces:
  - name: $FW_DEV
    mode: native
settings:
  default_action: pass
  fragments: drop
rules:
  - name: ssh
    port: 22
    proto: tcp
EOF
)
check "apply (fragments: drop)" apply "$drop"
f0=$(stat_counter drop_fragment packets)
ssh0=$(rule_counter ssh packets)
{
	cat "$WORK/common.py"
	cat <<'EOF'
frames = [
    E() / IPv6(src=OK6, dst=FW6) / IPv6ExtHdrFragment(nh=6, offset=0, m=0) / TCP(dport=80) / M("atomic6-tcp80"),
    E() / IPv6(src=OK6, dst=FW6) / IPv6ExtHdrHopByHop() / IPv6ExtHdrFragment(nh=17, offset=0, m=0) / UDP(dport=80) / M("hbh-atomic6-udp80"),
    E() / IPv6(src=OK6, dst=FW6) / IPv6ExtHdrFragment(nh=6, offset=0, m=0) / TCP(dport=22) / M("atomic6-tcp22"),
    E() / IPv6(src=OK6, dst=FW6) / IPv6ExtHdrFragment(nh=6, offset=0, m=1) / TCP(dport=80) / M("first6-tcp80"),
]
EOF
} >"$WORK/atomic.py"
send_frames <"$WORK/atomic.py"
check "atomic6-tcp80: an atomic fragment passes under fragments: drop" arrived atomic6-tcp80
check "hbh-atomic6-udp80: behind hop-by-hop too" arrived hbh-atomic6-udp80
check_fails "atomic6-tcp22: classified like a whole packet, the port rule drops it" \
	arrived atomic6-tcp22
check_fails "first6-tcp80: a real first fragment is still dropped" arrived first6-tcp80
check_eq "drop_fragment counted only the real fragment" "$(stat_delta drop_fragment "$f0")" 1
check_eq "ssh counted the atomic fragment to port 22" "$(rule_delta ssh "$ssh0")" 1

finish

#!/bin/bash
# Capacity: past the default 131072 rules, apply is refused with a message
# that says how to raise the limit, and the rules in force stay as they
# were; with settings.max_rules raised, the same file is applied on the
# running firewall, counters carried over, verdicts right on the wire.
. "$(dirname "$0")/lib.sh"

setup
require_xdpfw
sniff_start

# gen N MAX_RULES OUT: the rule `watch` plus N generated IPv6 source bans,
# g-I banning 2001:2:0:f2:: + I + 1 (g-0: 2001:2:0:f2::1, g-131071: 2001:2:0:f2::2:0).
gen() {
	"$PY" - "$FW_DEV" "$@" <<'EOF'
import ipaddress, sys
dev, n, max_rules, out = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
base = int(ipaddress.IPv6Address("2001:2:0:f2::"))
with open(out, "w") as f:
    f.write("interfaces:\n  - name: %s\n    mode: native\nsettings:\n  default_action: pass\n" % dev)
    if max_rules != "-":
        f.write("  max_rules: %s\n" % max_rules)
    f.write("rules:\n  - name: watch\n    src: 198.19.8.1\n")
    for i in range(n):
        f.write("  - name: g-%d\n    src: %s\n" % (i, ipaddress.IPv6Address(base + i + 1)))
EOF
}
# probe ID SRC: one frame from SRC, marked ID.
probe() {
	send_frames <<EOF
s = "$2"
ip = IPv6(src=s, dst=FW6) if ":" in s else IP(src=s, dst=FW4)
frames = [Ether(dst=FW_MAC, src=PEER_MAC) / ip / UDP(dport=9) / M("$1")]
EOF
}
count() { rules_json && jq length "$WORK/rules.json"; }

gen 1000 - "$WORK/small.yaml"
gen 131072 - "$WORK/over.yaml"
gen 131072 140000 "$WORK/raised.yaml"

check "apply 1001 rules" apply "$WORK/small.yaml"
probe w1 198.19.8.1
probe w2 198.19.8.1
check_eq "watch counted 2" "$(rule_counter watch packets)" 2

xdpfw apply "$WORK/over.yaml" >"$WORK/over.out" 2>&1
rc=$?
sed 's/^/#   /' "$WORK/over.out" | head -5
check_eq "131073 rules with the default capacity: apply exits 1" "$rc" 1
check "the message says how to raise the limit (max_rules)" grep -q max_rules "$WORK/over.out"
check_eq "the rules in force are unchanged" "$(count)" 1001
check_eq "watch's counter unchanged" "$(rule_counter watch packets)" 2
probe g-last 2001:2:0:f2::2:0
check "a rule of the refused file is not in force" arrived g-last

# Frames from watch keep coming while the maps are replaced: each is counted
# once, by the old maps or the new, and none is lost in between.
stream_start <<'EOF'
frames = [Ether(dst=FW_MAC, src=PEER_MAC) / IP(src="198.19.8.1", dst=FW4) / UDP(dport=9) / M("s")]
EOF
# shellcheck disable=SC2016 # expanded by eval
check "the stream is counted before the switch" \
	wait_until 5 eval '[ "$(rule_counter watch packets)" -gt 2 ]'
check "with max_rules: 140000, the same rules apply on the running firewall" apply "$WORK/raised.yaml"
sed 's/^/#   /' "$WORK/apply.log" | head -5
# shellcheck disable=SC2034 # read by the eval below
switched_at=$(rule_counter watch packets)
# shellcheck disable=SC2016 # expanded by eval
check "the stream is counted after the switch" \
	wait_until 5 eval '[ "$(rule_counter watch packets)" -gt "$switched_at" ]'
check "stream stopped, sentinel arrived" stream_stop
streamed_s=$(streamed s)
diag "streamed $streamed_s frames from watch across the switch"
check_eq "131073 rules in force" "$(count)" 131073
check_eq "watch's counter carried over to the bigger maps, stream included" \
	"$(rule_counter watch packets)" $((2 + streamed_s))
check_eq "still native, one program" "$(xdp_mode)" native
probe w3 198.19.8.1
probe g-last2 2001:2:0:f2::2:0
probe g-first 2001:2:0:f2::1
probe none 2001:2:0:f2::ffff:1
check_fails "watch drops" arrived w3
check_fails "the last generated rule drops" arrived g-last2
check_fails "the first generated rule drops" arrived g-first
check "an address no rule names passes" arrived none
check_eq "watch counted on" "$(rule_counter watch packets)" $((3 + streamed_s))
check_eq "the last generated rule counted its frame" "$(rule_counter g-131071 packets)" 1

check "back to 1001 rules (the maps stay big)" apply "$WORK/small.yaml"
check_eq "1001 rules in force" "$(count)" 1001
check_eq "watch's counter kept" "$(rule_counter watch packets)" $((3 + streamed_s))
probe w4 198.19.8.1
check_fails "watch still drops" arrived w4

check "down" xdpfw down
finish

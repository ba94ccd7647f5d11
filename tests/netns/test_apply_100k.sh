#!/bin/bash
# `xdpfw apply` of a generated 100,000-rule config (IPv4 and IPv6 sources,
# (src, port, proto) and (any, port, proto) rules, default drop), then
# verdicts sampled on the wire: each sampled rule gets one frame, which
# must meet the rule's action and bump exactly that rule's counter.
. "$(dirname "$0")/lib.sh"

setup
require_xdpfw
server_start 8080 -
sniff_start

# gen.py: writes the config and a sample list "id name src proto dport verdict".
cat >"$WORK/gen.py" <<'EOF'
import ipaddress, random, sys
dev, peer4, out, sample_out = sys.argv[1:5]
base4 = int(ipaddress.IPv4Address("198.18.4.0"))
rules = []  # (name, src, port, proto, action)
for i in range(59999):
    rules.append(("s4-%d" % i, str(ipaddress.IPv4Address(base4 + i)), None, None, "drop" if i % 2 == 0 else "pass"))
for i in range(20000):
    rules.append(("s6-%d" % i, "2001:2:0:f1::%x" % (i + 1), None, None, "pass" if i % 2 == 0 else "drop"))
for i in range(15000):
    # Level 1 over the s4 rule of the same source, with the opposite action.
    src = str(ipaddress.IPv4Address(base4 + i))
    rules.append(("sp-%d" % i, src, 1000 + i, "tcp", "pass" if i % 2 == 0 else "drop"))
for i in range(5000):
    rules.append(("p-%d" % i, None, 20000 + i, "udp", "pass"))
rules.append(("allow-peer", peer4, None, None, "pass"))
assert len(rules) == 100000, len(rules)
with open(out, "w") as f:
    f.write("interfaces:\n  - name: %s\n    mode: native\nsettings:\n  default_action: drop\nrules:\n" % dev)
    for name, src, port, proto, action in rules:
        f.write("  - name: %s\n" % name)
        if src: f.write("    src: %s\n" % src)
        if port: f.write("    port: %d\n" % port)
        if proto: f.write("    proto: %s\n" % proto)
        f.write("    action: %s\n" % action)
rnd = random.Random(100000)
with open(sample_out, "w") as f:
    cats = [rules[0:59999], rules[59999:79999], rules[79999:94999], rules[94999:99999],
            rules[0:15000]]  # s4 rules shadowed on one port by an sp rule
    picks = [r for c in cats for r in rnd.sample(c, 12)]
    for k, r in enumerate(picks):
        name, src, port, proto, action = r
        if name.startswith("p-"):
            src = "198.19.%d.%d" % (k, k + 1)      # any source: one no rule names
        if name.startswith("s4-") and int(name[3:]) < 15000:
            proto, port = "udp", 9                  # not the sp- rule's tcp/port
        f.write("%s-%d %s %s %s %d %s\n" % (name, k, name, src, proto or "udp", port or 9, action))
    # Sources no rule names: default drop.
    f.write("none4-x none-default 198.19.200.1 udp 9 drop\n")
    f.write("none6-x none-default 2001:2:0:f1::ffff:1 udp 9 drop\n")
EOF
"$PY" "$WORK/gen.py" "$FW_DEV" "$PEER4" "$WORK/big.yaml" "$WORK/sample" ||
	die "generating the config failed"
diag "config: $(wc -l <"$WORK/big.yaml") lines, $(du -h "$WORK/big.yaml" | cut -f1)"

t0=$(date +%s%N)
check "check accepts the 100,000-rule config" xdpfw check "$WORK/big.yaml"
t1=$(date +%s%N)
check "apply the 100,000-rule config" apply "$WORK/big.yaml"
t2=$(date +%s%N)
diag "check took $(((t1 - t0) / 1000000)) ms, apply $(((t2 - t1) / 1000000)) ms"
sed 's/^/# apply: /' "$WORK/apply.log"

rules_json
check_eq "rules lists 100,000 rules" "$(jq length "$WORK/rules.json")" 100000

check "allowed real source: TCP works" tcp_ok "$PEER4" "$FW4" 8080
check "allowed real source: ping works" ping_ok "$PEER4" "$FW4"
check "unlisted real source: TCP dropped by default" tcp_dropped "$PEER4B" "$FW4" 8080

{
	echo "pk = ["
	while read -r id _ src proto dport _; do
		echo "  ('$id', '$src', '$proto', $dport),"
	done <"$WORK/sample"
	cat <<'EOF'
]
def mk(i, src, proto, dport):
    ip = IPv6(src=src, dst=FW6) if ":" in src else IP(src=src, dst=FW4)
    l4 = TCP(dport=dport, flags="S") if proto == "tcp" else UDP(dport=dport)
    return Ether(dst=FW_MAC, src=PEER_MAC) / ip / l4 / M(i)
frames = [mk(*p) for p in pk]
EOF
} >"$WORK/frames.py"
send_frames <"$WORK/frames.py"
check "sampled frames sent, sentinel arrived" test $? -eq 0

rules_json
names=$(awk '$2 != "none-default" { print $2 }' "$WORK/sample" | jq -R . | jq -sc .)
jq -r --argjson names "$names" \
	'map(select(.name as $n | $names | index($n))) | .[] | "\(.name) \(.packets)"' \
	"$WORK/rules.json" >"$WORK/sample.counters"
bad_verdicts=0
bad_counters=0
while read -r id name src proto dport verdict; do
	if [ "$verdict" = pass ]; then arrived "$id" || {
		bad_verdicts=$((bad_verdicts + 1))
		diag "  $id ($src $proto/$dport) should pass, was dropped"
	}; else ! arrived "$id" || {
		bad_verdicts=$((bad_verdicts + 1))
		diag "  $id ($src $proto/$dport) should be dropped, passed"
	}; fi
	[ "$name" = none-default ] && continue
	got=$(awk -v n="$name" '$1 == n { print $2 }' "$WORK/sample.counters")
	if [ "$got" != 1 ]; then
		bad_counters=$((bad_counters + 1))
		diag "  rule $name counted '$got' packets, want 1"
	fi
done <"$WORK/sample"
check_eq "all $(wc -l <"$WORK/sample") sampled verdicts right on the wire" "$bad_verdicts" 0
check_eq "each sampled rule counted its one frame" "$bad_counters" 0
total=$(jq '[.[].packets] | add' "$WORK/rules.json")
check_eq "no other rule counted anything (allow-peer aside)" \
	"$((total - $(jq '.[] | select(.name == "allow-peer") | .packets' "$WORK/rules.json")))" 60

# Re-applying the same 100,000 rules changes nothing and keeps the counters.
check "re-apply the same config" apply "$WORK/big.yaml"
rules_json
check_eq "re-apply: counters kept" \
	"$(jq '[.[].packets] | add' "$WORK/rules.json")" "$total"

check "down" xdpfw down
check_fails "after down: pin dir empty" test -n "$(ls -A "$PIN_DIR" 2>/dev/null)"
finish

#!/bin/bash
# A 100k-line list file in Spamhaus DROP format behind one set rule, and the
# set changed on SIGHUP while traffic flows: a source in the list in every
# version never gets through, one in none always does, and the set rule's
# counter counts every frame it dropped exactly once. Longest prefix first:
# a /28 in the list beats a /24 that opens port 22. Frames keep RFC 2544
# sources; the list is synthetic, inside 198.18.0.0/15.
. "$(dirname "$0")/lib.sh"

setup
require_xdpfw
sniff_start

CFG=$WORK/xdpfw.yaml
LIST=$WORK/drop.txt

# list_file VERSION: 100k lines; 198.19.4.0/24 holds the test sources:
# .0/28 in both versions, .32 only in v1, .64/26 only in v2.
list_file() {
	"$PY" - "$1" <<'PYEOF'
import sys
v = sys.argv[1]
out = ["; Spamhaus DROP List 2026/11/30 - (c) 2026 The Spamhaus Project SLU",
       "; Expires: Mon, 30 Nov 2026 20:00:00 GMT", ";"]
n = 0
# 99,000 /32s across 198.18.0.0/15, skipping 198.19.4.0/24.
for i in range(131072):
    if len(out) >= 99003:
        break
    a, b = 18 + (i >> 16), (i >> 8) & 0xff
    if a == 19 and b == 4:
        continue
    out.append("198.%d.%d.%d/32 ; SBL%d" % (a, b, i & 0xff, 100000 + i))
# The rest as /28s (a list may overlap itself).
i = 0
while len(out) < 100000 - 3:
    out.append("198.18.%d.%d/28 ; SBL%d" % ((i >> 4) & 0xff, (i & 0xf) << 4, 500000 + i))
    i += 1
out.append("198.19.4.0/28 ; SBL1")
out.append("198.19.4.32/32 ; SBL2" if v == "1" else "198.19.4.64/26 ; SBL3")
out.append("198.19.4.33 ; an address without a length")
print("\n".join(out))
PYEOF
}

list_file 1 >"$WORK/drop1.txt"
list_file 2 >"$WORK/drop2.txt"
check_eq "the list file has 100k lines" "$(wc -l <"$WORK/drop1.txt")" 100000
cp "$WORK/drop1.txt" "$LIST"
cat >"$CFG" <<EOF
interfaces:
  - name: $FW_DEV
settings:
  default_action: pass
sets:
  drop-list:
    file: drop.txt
rules:
  - name: drop-list
    src: "@drop-list"
  - name: ssh-office
    src: 198.19.4.0/24
    port: 22
    proto: tcp
    action: pass
EOF
check "xdpfw check accepts the config and its list" xdpfw check "$CFG"
check "daemon starts with list v1" daemon_start "$CFG"

# x: in the /28 of both versions; y: in the /24 only, UDP (falls through to
# the default); s: in the /24 only, TCP 22 (ssh-office); b: in the /28, TCP
# 22 (the /28's rule decides); z: in v1 only; n: in v2 only.
stream_start <<'EOF'
e = Ether(dst=FW_MAC, src=PEER_MAC)
frames = [
    e / IP(src="198.19.4.1", dst=FW4) / UDP(dport=9) / M("x"),
    e / IP(src="198.19.4.200", dst=FW4) / UDP(dport=9) / M("y"),
    e / IP(src="198.19.4.200", dst=FW4) / TCP(dport=22) / M("s"),
    e / IP(src="198.19.4.2", dst=FW4) / TCP(dport=22) / M("b"),
    e / IP(src="198.19.4.32", dst=FW4) / UDP(dport=9) / M("z"),
    e / IP(src="198.19.4.65", dst=FW4) / UDP(dport=9) / M("n"),
]
EOF
check "traffic is flowing" wait_until 5 arrived y

base=$(log_lines)
done_reloads=0
for i in $(seq 1 10); do
	if [ $((i % 2)) = 1 ]; then v=2; else v=1; fi
	cp "$WORK/drop$v.txt" "$LIST.tmp" && mv "$LIST.tmp" "$LIST"
	kill -HUP "$DAEMON_PID" || break
	wait_until 20 log_grew $((base + i - 1)) || break
	done_reloads=$i
done
check_eq "10 reloads of the list done, each logged" "$done_reloads" 10
check "daemon alive" daemon_alive
check "stream stopped, sentinel arrived" stream_stop
diag "streamed: $(tr '\n' ' ' <"$STREAM_OUT")"
for id in x y s b z n; do eval "$id=\$(streamed $id)"; done
# shellcheck disable=SC2154 # set by the eval above
{
	check "the stream sent a real load (x=$x)" test "$x" -ge 100
	check_eq "in both versions: no frame got through" "$(arrivals x)" 0
	check_eq "a /28 ban beats the /24 that opens port 22" "$(arrivals b)" 0
	check_eq "in no version: every frame got through" "$(arrivals y)" "$y"
	check_eq "the /24's port 22 rule lets its TCP 22 through" "$(arrivals s)" "$s"
	za=$(arrivals z)
	na=$(arrivals n)
	check "the list changed under traffic: z passed in v2 and was dropped in v1 ($za of $z)" \
		test "$za" -gt 0 -a "$za" -lt "$z"
	check "... and n the other way round ($na of $n)" test "$na" -gt 0 -a "$na" -lt "$n"
	check_eq "the set rule counted every frame it dropped, once" \
		"$(rule_counter drop-list packets)" $((x + b + z - za + n - na))
	check_eq "ssh-office counted its frames" "$(rule_counter ssh-office packets)" "$s"
}
check_eq "rules lists the set rule once" "$(rule_names)" "drop-list ssh-office"

finish

#!/bin/bash
# `xdpfw explain`, `sets` and `rules` from the command line, on a config
# with a Spamhaus-format list, an `elements:` set, a prefix and port lists:
# exit codes (2 for a bad query, 1 when there is nothing to read), the
# answers with --config and from the maps in force (the same rule, verdict,
# step and prefix), and real frames for each query: every frame meets the
# verdict explain gave, and the rule it named counts it.
. "$(dirname "$0")/lib.sh"

setup
require_xdpfw
sniff_start

cat >"$WORK/drop.txt" <<'EOF'
; Spamhaus DROP format: prefix ; reference
198.18.64.0/18 ; SBL1
198.19.0.0/16 ; SBL2
198.19.7.7/32 ; SBL3
2001:2:0:66::/64 ; SBL4
EOF
CFG=$(conf xdpfw.yaml <<EOF
interfaces:
  - name: $FW_DEV
settings:
  default_action: pass
sets:
  drop-list:
    file: drop.txt
  office:
    elements: [198.18.3.0/24, 2001:2:0:9::/64]
rules:
  - name: drop-list
    src: "@drop-list"
  - name: lab-web
    src: 198.18.64.0/24
    port: [80, 443]
    proto: tcp
    action: pass
  - name: ssh-office
    src: "@office"
    port: 22
    proto: tcp
    action: pass
  - name: ssh-others
    port: 22
    proto: tcp
EOF
)
BAD=$(conf bad.yaml <<EOF
interfaces:
  - name: $FW_DEV
rules:
  - name: x
    src: "@nowhere"
EOF
)

# rc CMD...: CMD's exit status, its output thrown away.
rc() {
	"$@" >/dev/null 2>&1
	echo $?
}

# Exit codes before anything is in force.
check_eq "explain with nothing pinned: exit 1" "$(rc xdpfw explain 198.18.0.9)" 1
check_eq "explain --config of a valid config touches no kernel state: exit 0" \
	"$(rc xdpfw explain --config "$CFG" 198.18.0.9)" 0
check_fails "... and pinned nothing" test -e "$PIN_DIR/xdpfw_prog"
check_eq "explain --config of an invalid config: exit 1" \
	"$(rc xdpfw explain --config "$BAD" 198.18.0.9)" 1
check_eq "explain --config of a missing file: exit 1" \
	"$(rc xdpfw explain --config "$WORK/none.yaml" 198.18.0.9)" 1
for args in "198.18.0.0/15" "198.18.0.256" "example.org" "198.18.0.9 0" "198.18.0.9 65536" \
	"198.18.0.9 22/sctp" "198.18.0.9 22/icmp" "198.18.0.9 tcp" "198.18.0.9 icmpv6" \
	"2001:2::1 icmp" "198.18.0.9 22 extra"; do
	# shellcheck disable=SC2086 # the words are the arguments
	check_eq "explain $args: exit 2" "$(rc xdpfw explain --config "$CFG" $args)" 2
done
check_eq "explain without ADDR: exit 2" "$(rc xdpfw explain)" 2
check_eq "rules --config: exit 2 (only explain takes it)" "$(rc xdpfw rules --config "$CFG")" 2
xdpfw explain --config "$CFG" 198.18.0.0/15 >/dev/null 2>"$WORK/err"
check "a prefix is refused with the reason" grep -q "not an IPv4 or IPv6 address" "$WORK/err"

# A rule and a set from an included file are named with that file.
mkdir -p "$WORK/inc/conf.d"
printf 'include: [conf.d/*.yaml]\nrules:\n  - name: ssh\n    port: 22\n    action: pass\n' \
	>"$WORK/inc/main.yaml"
printf '# web\nsets:\n  web:\n    elements:\n      - 198.18.7.0/24\nrules:\n  - name: web\n    src: "@web"\n    port: 80\n    action: drop\n' \
	>"$WORK/inc/conf.d/20-web.yaml"
xdpfw explain --config "$WORK/inc/main.yaml" 198.18.7.1 80/tcp >"$WORK/inc/out"
check "explain --config: an included rule is named with its file and line" \
	grep -qx "rule     web ($WORK/inc/conf.d/20-web.yaml:7)" "$WORK/inc/out"
check "explain --config: an included set's element is named with its file and line" \
	grep -q "element of @web at $WORK/inc/conf.d/20-web.yaml:5\$" "$WORK/inc/out"
check_eq "explain --config --json: rule_file" "$(xdpfw --json explain --config \
	"$WORK/inc/main.yaml" 198.18.7.1 80/tcp | jq -r .rule_file)" "$WORK/inc/conf.d/20-web.yaml"
xdpfw explain --config "$WORK/inc/main.yaml" 198.18.7.1 22/tcp >"$WORK/inc/out22"
check "explain --config: a rule of the main file keeps (line N)" \
	grep -qx "rule     ssh (line 3)" "$WORK/inc/out22"

check "apply the config" apply "$CFG"

# explain_json MODE ADDR [PORT]: the JSON answer, --config (MODE config) or the maps (MODE maps).
explain_json() {
	local mode=$1
	shift
	if [ "$mode" = config ]; then
		xdpfw --json explain --config "$CFG" "$@"
	else
		xdpfw --json explain "$@"
	fi
}

# query|rule verdict step prefix file_line|scapy L3/L4 of a frame for it
QUERIES=$(
	cat <<'EOF'
198.18.64.9 443/tcp|lab-web pass 1 198.18.64.0/24 -|IP(src="198.18.64.9", dst=FW4) / TCP(dport=443)
198.18.64.9 22|drop-list drop 4 198.18.64.0/18 2|IP(src="198.18.64.9", dst=FW4) / TCP(dport=22)
198.18.3.4 22|ssh-office pass 1 198.18.3.0/24 9|IP(src="198.18.3.4", dst=FW4) / TCP(dport=22)
198.18.0.9 22/tcp|ssh-others drop 5 - -|IP(src="198.18.0.9", dst=FW4) / TCP(dport=22)
198.18.0.9 53/udp|default pass 8 - -|IP(src="198.18.0.9", dst=FW4) / UDP(dport=53)
198.19.7.7 icmp|drop-list drop 4 198.19.7.7 4|IP(src="198.19.7.7", dst=FW4) / ICMP()
198.19.1.1|drop-list drop 4 198.19.0.0/16 3|IP(src="198.19.1.1", dst=FW4) / ICMP()
::ffff:198.19.1.1 53/udp|drop-list drop 4 198.19.0.0/16 3|IPv6(src="::ffff:198.19.1.1", dst=FW6) / UDP(dport=53)
2001:2:0:66::1 443|drop-list drop 4 2001:2:0:66::/64 5|IPv6(src="2001:2:0:66::1", dst=FW6) / TCP(dport=443)
2001:2:0:9::5 22|ssh-office pass 1 2001:2:0:9::/64 9|IPv6(src="2001:2:0:9::5", dst=FW6) / TCP(dport=22)
2001:2:0:9::5 icmpv6|default pass 8 - -|IPv6(src="2001:2:0:9::5", dst=FW6) / ICMPv6EchoRequest()
EOF
)

declare -A WANT_COUNT
frames=$WORK/frames.py
echo "e = Ether(dst=FW_MAC, src=PEER_MAC)" >"$frames"
echo "frames = [" >>"$frames"
i=0
while IFS='|' read -r query want scapy; do
	i=$((i + 1))
	read -r w_rule w_verdict w_step w_prefix w_line <<<"$want"
	for mode in config maps; do
		# shellcheck disable=SC2086 # the query's words are the arguments
		if ! explain_json "$mode" $query >"$WORK/x.json" 2>"$WORK/x.err"; then
			not_ok "explain ($mode) $query: exit 0"
			sed 's/^/#   /' "$WORK/x.err"
			continue
		fi
		got=$(jq -r '[.rule, .verdict, (.step | tostring)] | join(" ")' "$WORK/x.json")
		check_eq "explain ($mode) $query: rule, verdict, step" "$got" "$w_rule $w_verdict $w_step"
		prefix=$(jq -r '.prefix // "-"' "$WORK/x.json")
		line=$(jq -r '.file_line // "-"' "$WORK/x.json")
		# From the maps, an `elements:` set's element is not known (the note says why).
		if [ "$mode" = maps ] && [ "$w_line" = 9 ]; then
			check_eq "explain (maps) $query: office's element is not named" "$prefix $line" "- -"
			note=$(jq -r '.note // ""' "$WORK/x.json")
			check "... and the note says why" grep -q "elements:" <<<"$note"
		else
			check_eq "explain ($mode) $query: prefix and its line" "$prefix $line" "$w_prefix $w_line"
		fi
	done
	echo "    e / $scapy / M(\"q$i\")," >>"$frames"
	WANT_COUNT[$w_rule]=$((${WANT_COUNT[$w_rule]:-0} + 1))
	VERDICT[i]=$w_verdict
	QUERY[i]=$query
done <<<"$QUERIES"
echo "]" >>"$frames"

# Real frames, one per query: each meets the verdict explain gave, and the rule it named counts it.
send_frames <"$frames"
for ((j = 1; j <= i; j++)); do
	if [ "${VERDICT[j]}" = pass ]; then
		check "frame for '${QUERY[j]}' passed, as explained" arrived "q$j"
	else
		check_fails "frame for '${QUERY[j]}' was dropped, as explained" arrived "q$j"
	fi
done
for rule in drop-list lab-web ssh-office ssh-others; do
	check_eq "rule $rule counted the frames explain gave it" \
		"$(rule_counter "$rule" packets)" "${WANT_COUNT[$rule]}"
done

# sets and rules, JSON.
sets_json() { xdpfw --json sets >"$WORK/sets.json"; }
check "sets --json" sets_json
check_eq "sets: both, with counts, file and rules" \
	"$(jq -c '[.[] | [.name, .ipv4, .ipv6, .elements, (.file // "-"), .rules]]' "$WORK/sets.json")" \
	"[[\"drop-list\",3,1,4,\"$WORK/drop.txt\",[\"drop-list\"]],[\"office\",1,1,2,\"-\",[\"ssh-office\"]]]"
check "rules --json" rules_json
check_eq "rules: sets as @name with element counts, the prefix, the port list's first port" \
	"$(jq -c '[.[] | [.name, .src, .set, .elements, .port, .more_ports]]' "$WORK/rules.json")" \
	'[["drop-list","@drop-list","drop-list",4,null,null],["lab-web","198.18.64.0/24",null,null,80,true],["ssh-office","@office","office",2,22,null],["ssh-others",null,null,null,22,null]]'
sets_table() { xdpfw sets >"$WORK/sets.txt"; }
check "sets (table)" sets_table
check "the sets table names the list file" grep -qF "$WORK/drop.txt" "$WORK/sets.txt"
xdpfw explain 198.19.7.7 >"$WORK/x.txt" 2>&1
check "explain (text) names the element's file and line" \
	grep -qF "matched  198.19.7.7, element of @drop-list at $WORK/drop.txt:4" "$WORK/x.txt"
finish

#!/bin/bash
# Every one of the 8 precedence levels decides a real frame on the wire.
# For level L, a packet matches the level-L rule and every less specific
# rule, and those all carry the opposite action: the verdict on the wire and
# the rule counters (exactly the deciding rule counts 1, every other rule 0)
# both show which rule decided. Done for IPv4 and for IPv6 sources.
. "$(dirname "$0")/lib.sh"

setup
require_xdpfw
sniff_start

RULES=()   # "name src port proto action", '-' = omitted
PACKETS=() # "id src proto dport expected-verdict deciding-rule"
rule() { RULES+=("$*"); }
packet() { PACKETS+=("$*"); }

for fam in 4 6; do
	if [ $fam = 4 ]; then S() { echo "198.19.0.$1"; }; else S() { echo "2001:2:0:ff::$1"; }; fi
	b=$((fam * 1000)) # ports 400x for IPv4 sources, 600x for IPv6 ones
	# Level 1: (src, port, proto) drop beats 2..6, all pass.
	s=$(S 1) p=$((b + 1))
	rule "l1-$fam $s $p tcp drop"
	rule "l1-$fam-l2 $s $p any pass"
	rule "l1-$fam-l3 $s - tcp pass"
	rule "l1-$fam-l4 $s - any pass"
	rule "l1-$fam-l5 - $p tcp pass"
	rule "l1-$fam-l6 - $p any pass"
	packet "p1-$fam $s tcp $p drop l1-$fam"
	# Level 2: (src, port, any) pass beats 3..7, all drop.
	s=$(S 2) p=$((b + 2))
	rule "l2-$fam $s $p any pass"
	rule "l2-$fam-l3 $s - tcp drop"
	rule "l2-$fam-l4 $s - any drop"
	rule "l2-$fam-l5 - $p tcp drop"
	rule "l2-$fam-l6 - $p any drop"
	packet "p2-$fam $s tcp $p pass l2-$fam"
	# Level 3: (src, any, proto) drop beats 4..6, all pass.
	s=$(S 3) p=$((b + 3))
	rule "l3-$fam $s - tcp drop"
	rule "l3-$fam-l4 $s - any pass"
	rule "l3-$fam-l5 - $p tcp pass"
	rule "l3-$fam-l6 - $p any pass"
	packet "p3-$fam $s tcp $p drop l3-$fam"
	# Level 4: (src, any, any) pass beats 5..7, all drop.
	s=$(S 4) p=$((b + 4))
	rule "l4-$fam $s - any pass"
	rule "l4-$fam-l5 - $p tcp drop"
	rule "l4-$fam-l6 - $p any drop"
	packet "p4-$fam $s tcp $p pass l4-$fam"
	# Level 4 again: a banned source stays banned on a port open to all.
	s=$(S 14) p=$((b + 14))
	rule "ban-$fam $s - any drop"
	rule "open-$fam - $p tcp pass"
	rule "open-$fam-any - $p any pass"
	packet "p4b-$fam $s tcp $p drop ban-$fam"
	# Level 5: (any, port, proto) drop beats 6 (pass).
	s=$(S 5) p=$((b + 5))
	rule "l5-$fam - $p tcp drop"
	rule "l5-$fam-l6 - $p any pass"
	packet "p5-$fam $s tcp $p drop l5-$fam"
	# Level 6: (any, port, any) pass beats 7 (drop).
	s=$(S 6) p=$((b + 6))
	rule "l6-$fam - $p any pass"
	packet "p6-$fam $s tcp $p pass l6-$fam"
	# Level 7: (any, any, tcp) drop beats the default (pass).
	s=$(S 7) p=$((b + 7))
	packet "p7-$fam $s tcp $p drop l7"
	# Level 8: nothing matches a UDP packet to an unlisted port: default.
	s=$(S 8) p=$((b + 8))
	packet "p8-$fam $s udp $p pass -"
done
rule "l7 - - tcp drop"

{
	cat <<EOF
interfaces:
  - name: $FW_DEV
settings:
  default_action: pass
rules:
EOF
	for r in "${RULES[@]}"; do
		read -r name src port proto action <<<"$r"
		echo "  - name: $name"
		[ "$src" != - ] && echo "    src: $src"
		[ "$port" != - ] && echo "    port: $port"
		echo "    proto: $proto"
		echo "    action: $action"
	done
} >"$WORK/prec.yaml"

check "check accepts the precedence config" xdpfw check "$WORK/prec.yaml"
check "apply the precedence config" apply "$WORK/prec.yaml"

names=()
for r in "${RULES[@]}"; do names+=("${r%% *}"); done
before=$(rule_counters packets "${names[@]}")
want_before=$(printf '%s=0 ' "${names[@]}")
check_eq "every rule starts at 0 packets" "$before" "${want_before% }"

{
	echo "pk = ["
	for p in "${PACKETS[@]}"; do
		read -r id src proto dport _ _ <<<"$p"
		echo "  ('$id', '$src', '$proto', $dport),"
	done
	cat <<'EOF'
]
def mk(i, src, proto, dport):
    ip = IPv6(src=src, dst=FW6) if ":" in src else IP(src=src, dst=FW4)
    if proto == "tcp":
        l4 = TCP(sport=40000, dport=dport, flags="S")
    else:
        l4 = UDP(sport=40000, dport=dport)
    return Ether(dst=FW_MAC, src=PEER_MAC) / ip / l4 / M(i)
frames = [mk(*p) for p in pk]
EOF
} >"$WORK/frames.py"
send_frames <"$WORK/frames.py"
check "frames sent, sentinel arrived" test $? -eq 0

declare -A want
for n in "${names[@]}"; do want[$n]=0; done
for p in "${PACKETS[@]}"; do
	read -r id src proto dport verdict decider <<<"$p"
	level=${id%%-*}
	level=${level#p}
	what="level ${level}: $src $proto/$dport"
	if [ "$verdict" = pass ]; then
		check "$what passes" arrived "$id"
	else
		check_fails "$what is dropped" arrived "$id"
	fi
	[ "$decider" != - ] && want[$decider]=$((${want[$decider]} + 1))
done

got=$(rule_counters packets "${names[@]}")
exp=""
for n in "${names[@]}"; do exp+="$n=${want[$n]} "; done
check_eq "exactly the deciding rules counted, once per packet" "$got" "${exp% }"
if [ "$got" != "${exp% }" ]; then
	for n in "${names[@]}"; do
		g=$(tr ' ' '\n' <<<"$got" | grep "^$n=" | cut -d= -f2)
		[ "$g" != "${want[$n]}" ] && diag "  rule $n: counted $g, want ${want[$n]}"
	done
fi

# Level 8 with default drop: the same rules, default_action: drop.
sed 's/default_action: pass/default_action: drop/' "$WORK/prec.yaml" >"$WORK/prec-drop.yaml"
check "apply the same rules with default drop" apply "$WORK/prec-drop.yaml"
d0=$(stat_counter drop_default packets)
send_frames <<'EOF'
frames = [
    Ether(dst=FW_MAC, src=PEER_MAC) / IP(src="198.19.0.8", dst=FW4) / UDP(dport=4008) / M("q8-4"),
    Ether(dst=FW_MAC, src=PEER_MAC) / IPv6(src="2001:2:0:ff::8", dst=FW6) / UDP(dport=6008) / M("q8-6"),
    Ether(dst=FW_MAC, src=PEER_MAC) / IP(src="198.19.0.6", dst=FW4) / TCP(dport=4006) / M("q6-4"),
]
EOF
check_fails "level 8 (default drop): 198.19.0.8 udp/4008 is dropped" arrived q8-4
check_fails "level 8 (default drop): 2001:2:0:ff::8 udp/6008 is dropped" arrived q8-6
check "level 6 pass still beats the default drop" arrived q6-4
d1=$(stat_counter drop_default packets)
check "drop_default counted them ($d0 -> $d1)" test "$d1" -ge $((d0 + 2)) 2>/dev/null

finish

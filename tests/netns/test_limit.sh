#!/bin/bash
# Rate limits with real frames: a SYN flood from 200 RFC 2544 sources at a
# `tcp_flags: syn` rule limited to 10/s, burst 5, per source. Every source
# gets its burst through and never more than rate x elapsed + burst, counted
# at the receiver (the sniffer behind XDP), with elapsed an upper bound
# taken around the send; ACKs and SYN+ACKs to the same port are not
# limited. With ban_for, the flooders are banned (origin limit:RULE in
# `xdpfw bans`), except a never_ban one; `per: rule` shares one bucket
# among all sources.
. "$(dirname "$0")/lib.sh"

setup
require_xdpfw
sniff_start

RATE=10
BURST=5
SOURCES=200
PER_SOURCE=40

# config BAN_FOR: the limit rules, with ban_for BAN_FOR ("" for none).
config() {
	local ban_for=${1:+    ban_for: $1}
	conf "limit${1:+-ban}.yaml" <<EOF
interfaces:
  - name: $FW_DEV
settings:
  never_ban: [198.19.1.7]
rules:
  - name: ssh-syn-flood
    port: 22
    proto: tcp
    tcp_flags: syn
    limit: {rate: $RATE/s, burst: $BURST, per: source}
$ban_for
  - name: telnet-cap
    port: 23
    proto: tcp
    tcp_flags: syn
    limit: {rate: $RATE/s, burst: $BURST, per: rule}
EOF
}

now_ns() { date +%s%N; }

# flood NET FIRST COUNT PORT FLAGS EACH TAG: EACH frames from each of COUNT
# sources NET.FIRST.., round-robin, to PORT with TCP flags FLAGS (scapy's
# letters), marked TAG<source>. Sets T0 (ns) to just before the first frame.
flood() {
	local net=$1 first=$2 count=$3 port=$4 flags=$5 each=$6 tag=$7
	cat >"$WORK/flood.py" <<EOF
import time
e = Ether(dst=FW_MAC, src=PEER_MAC)
srcs = ["$net.%d" % (i + $first) for i in range($count)]
one = {s: bytes(e / IP(src=s, dst=FW4) / TCP(sport=40000, dport=$port, flags="$flags") / M("$tag" + s.split(".")[-1])) for s in srcs}
frames = [one[s] for _ in range($each) for s in srcs]
open("$WORK/t0", "w").write(str(time.time_ns()))
EOF
	send_frames <"$WORK/flood.py" || return 1
	T0=$(cat "$WORK/t0")
}

# per_source TAG: "source arrivals" lines for frames marked TAG<n>.
per_source() { grep -E -- "^$1[0-9]+\$" "$SNIFF_OUT" | sort | uniq -c | awk '{ print $2, $1 }'; }
# delivered TAG: how many frames marked TAG<n> arrived.
delivered() { grep -cE -- "^$1[0-9]+\$" "$SNIFF_OUT"; }

# bounded TAG SOURCES MAX MIN: every one of SOURCES sources had between MIN
# and MAX of its frames arrive.
bounded() {
	local tag=$1 sources=$2 max=$3 min=$4 n
	n=$(per_source "$tag" | awk -v lo="$min" -v hi="$max" '$2 >= lo && $2 <= hi' | wc -l)
	[ "$n" -eq "$sources" ] && return 0
	diag "$n of $sources sources within [$min, $max]; outside:"
	per_source "$tag" | awk -v lo="$min" -v hi="$max" '$2 < lo || $2 > hi' | head -5 | sed 's/^/#   /'
	return 1
}

# allowed T0: the most a bucket lets through since T0: burst + rate x elapsed, rounded up.
allowed() { echo $((BURST + (($(now_ns) - $1) * RATE + 999999999) / 1000000000)); }

check "apply the limit rules" apply "$(config "")"
rules_json
check_eq "rules shows the SYN rule's flags and limit" \
	"$(jq -c '.[] | select(.name == "ssh-syn-flood") | [.proto, .tcp_flags, .action, .limit, .ban_for]' "$WORK/rules.json")" \
	'["tcp","syn","drop",{"rate":"10/s","burst":5,"per":"source"},null]'

# ---- A SYN flood from 200 sources, per source ----
drops0=$(stat_counter drop_limit packets)
flood 198.19.0 1 "$SOURCES" 22 S "$PER_SOURCE" syn
max=$(allowed "$T0")
sent=$((SOURCES * PER_SOURCE))
check_eq "every SYN met the rule (none lost before XDP)" "$(rule_counter ssh-syn-flood packets)" "$sent"
check "each source: its burst through, at most $max (rate x elapsed + burst)" \
	bounded syn "$SOURCES" "$max" "$BURST"
delivered=$(delivered syn)
check "the flood was cut: $delivered of $sent delivered" test "$delivered" -lt "$sent"
check_eq "every SYN not delivered counted as drop_limit" \
	"$(($(stat_counter drop_limit packets) - drops0))" "$((sent - delivered))"
xdpfw explain 198.19.0.9 22/syn >"$WORK/explain.txt" 2>&1
check "explain names the rule and its limit" \
	grep -q '^limit    10/s burst 5 per source: ' "$WORK/explain.txt"

# ---- Other TCP to the same port is not limited, from the same sources ----
flood 198.19.0 1 20 22 A 10 ack
check_eq "ACKs from the flooders all arrive" "$(delivered ack)" 200
flood 198.19.0 21 20 22 SA 10 synack
check_eq "SYN+ACKs from the flooders all arrive" "$(delivered synack)" 200

# ---- per: rule: one bucket for every source ----
flood 198.19.2 1 100 23 S 3 rule
max=$(allowed "$T0")
got=$(delivered rule)
check "per rule: $got of 300 SYNs from 100 sources, between $BURST and $max" \
	test "$got" -ge "$BURST" -a "$got" -le "$max"

# ---- ban_for: the flooders are banned, a never_ban one is not ----
check "apply with ban_for: 10m" apply "$(config 10m)"
check_eq "a limit that changes keeps the rule's counter" \
	"$(rule_counter ssh-syn-flood packets)" "$sent"
bans0=$(stat_counter drop_ban packets)
flood 198.19.1 1 50 22 S 30 ban
max=$(allowed "$T0")
check "each flooder: its burst, at most $max" bounded ban 50 "$max" "$BURST"
# Over the limit: some of its SYNs did not arrive. All but the never_ban one are banned.
over=$(per_source ban | awk '$1 != "ban7" && $2 < 30' | wc -l)
check "the flood went over the limit from ($over of) 49 sources" test "$over" -ge 45
check "bans were counted" test "$(stat_counter drop_ban packets)" -gt "$bans0"
bans_json
check_eq "xdpfw bans: each of them, origin limit:ssh-syn-flood" \
	"$(jq '[.[] | select(.origin == "limit:ssh-syn-flood")] | length' "$WORK/bans.json" 2>/dev/null)" "$over"
check_eq "the never_ban source is not banned" \
	"$(jq '[.[] | select(.address == "198.19.1.7")] | length' "$WORK/bans.json" 2>/dev/null)" 0
unbanned=$(per_source ban | awk '$1 ~ /^ban([1-9]|10)$/ && ($1 == "ban7" || $2 == 30)' | wc -l)
flood 198.19.1 1 10 22 A 2 after
check_eq "a banned flooder's ACKs drop too; the never_ban one's pass" \
	"$(delivered after)" "$((2 * unbanned))"
xdpfw explain 198.19.1.9 22/tcp >"$WORK/explain.txt" 2>&1
check "explain says the ban decides, and why" \
	grep -q '^rule     ban (origin limit:ssh-syn-flood, expires in ' "$WORK/explain.txt"

finish

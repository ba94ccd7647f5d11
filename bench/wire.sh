#!/bin/bash
# Drop rate on the wire: 64-byte UDP frames from bench/wiregen over a veth
# between two fresh namespaces per case, the generator and the receiver's
# softirq on the same CPU. Prints CSV:
#   wire,CASE,REP,DROPPED,SECONDS,SOFTIRQ_TICKS,SENT
# usage: bench/wire.sh SECONDS REPS RULES [CASE...]
# (xdpfw_ban, not run by default: 198.18.0.7 banned among WIRE_BANS addresses,
# its rule made a pass rule, so only the ban drops it. xdpfw_log, not run by
# default either: 198.18.0.7's rule says `log: true`, settings.log_rate is
# WIRE_LOG_RATE a second (log_burst 1 % of that), and `xdpfw events --json`
# reads on another CPU;
# it adds the lines
#   logstat,CASE,REP,SENT,SUPPRESSED,LOST   (what fw_event_stats grew by)
#   events,CASE,LINES,SENT,LOST,LOG_RATE    (the reader's lines, all reps))
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
B=$ROOT/build/bench
XDPFW=${XDPFW:-$ROOT/build/xdpfw}
SECS=$1 REPS=$2 RULES=$3
shift 3
CASES=${*:-floor_drop floor_hit xdp_filter xdpfw_native xdpfw_set xdpfw_generic nft_ingress nft_input iptables_raw}
SET_ELEMENTS=${WIRE_SET_ELEMENTS:-1000000}
BANS=${WIRE_BANS:-1000000}
LOG_RATE=${WIRE_LOG_RATE:-100000}
CPU=${BENCH_CPU:-1}
READER_CPU=$((CPU == 0 ? 1 : 0))
READER=
XF_OBJ=${XF_OBJ:-/usr/lib/$(gcc -dumpmachine)/bpf/xdpfilt_alw_all.o}
WORK=$(mktemp -d /tmp/xfb-wire.XXXXXX)
G=xfbg-$$ X=xfbx-$$
IPT=iptables-legacy
command -v "$IPT" >/dev/null || IPT=iptables

teardown() {
	reader_stop
	ip netns del "$G" 2>/dev/null || true
	ip netns del "$X" 2>/dev/null || true
}
cleanup() {
	teardown
	umount "$WORK/bpffs" 2>/dev/null || true
	rm -rf "$WORK"
}
trap cleanup EXIT
mkdir "$WORK/bpffs"
mount -t bpf bpf "$WORK/bpffs"

# The generator's namespace has wa (and a veth that holds the generator program);
# the receiver's has wb, with the MAC and address the frames are sent to.
setup() {
	ip netns add "$G"
	ip netns add "$X"
	ip -n "$G" link add xfbh0 type veth peer name xfbp0
	ip -n "$G" link add wa type veth peer name wb netns "$X"
	ip -n "$X" link set wb address 02:00:00:00:00:02
	ip netns exec "$X" sysctl -qw net.ipv4.conf.all.rp_filter=0 net.ipv4.conf.default.rp_filter=0
	ip -n "$G" link set wa up
	ip -n "$X" link set lo up
	ip -n "$X" link set wb up
	ip -n "$X" addr add 198.19.255.254/16 dev wb
	ip -n "$X" route add 198.18.0.0/16 dev wb
}

nsx() { ip netns exec "$X" "$@"; }
xdp_drops() { nsx ethtool -S wb | awk '/rx_queue_0_xdp_drops/ {print $2}'; }
softirq_ticks() { awk -v c="cpu$CPU" '$1==c {print $8}' /proc/stat; }

nft_set() {
	awk -v n="$RULES" 'BEGIN { if (n > 65536) n = 65536
		for (i = 0; i < n; i++) printf "%s198.18.%d.%d", i ? ", " : "", int(i / 256), i % 256 }'
}

# load CASE: puts the case's filter in place; echoes how to read its drop count.
load() {
	case $1 in
	floor_drop | floor_hit | xdp_filter)
		nsx "$B/wireload" "$B" "$1" wb "$RULES" "$XF_OBJ"
		echo xdp ;;
	xdpfw_native | xdpfw_generic)
		# Generic XDP does not turn on the veth's NAPI receive path; GRO does.
		[ "$1" = xdpfw_generic ] && nsx ethtool -K wb gro on
		"$ROOT/bench/mkconf.sh" "$RULES" wb "${1#xdpfw_}" >"$WORK/wire.yaml"
		nsx "$XDPFW" --pin-dir "$WORK/bpffs/xdpfw" apply "$WORK/wire.yaml" 2>"$WORK/apply.log" ||
			{ cat "$WORK/apply.log" >&2; return 1; }
		[ "$1" = xdpfw_native ] && echo xdp || echo xdpfw ;;
	xdpfw_ban)
		"$ROOT/bench/mkconf.sh" "$RULES" wb native 7 >"$WORK/wire.yaml"
		"$ROOT/bench/mkbans.sh" "$BANS" list 198.18.0.7 >"$WORK/bans.txt"
		if ! nsx "$XDPFW" --pin-dir "$WORK/bpffs/xdpfw" apply "$WORK/wire.yaml" 2>"$WORK/apply.log" ||
			! "$XDPFW" --pin-dir "$WORK/bpffs/xdpfw" ban --file "$WORK/bans.txt" >/dev/null 2>>"$WORK/apply.log"; then
			cat "$WORK/apply.log" >&2
			return 1
		fi
		rm -f "$WORK/bans.txt"
		echo xdp ;;
	xdpfw_log)
		# A burst of 1% of a second: a fresh bucket's burst would pass more than a flood's steady state.
		MKCONF_LOG=7 MKCONF_SETTINGS="log_rate: $LOG_RATE/s; log_burst: $((LOG_RATE / 100 + 1))" \
			"$ROOT/bench/mkconf.sh" "$RULES" wb native >"$WORK/wire.yaml"
		nsx "$XDPFW" --pin-dir "$WORK/bpffs/xdpfw" apply "$WORK/wire.yaml" 2>"$WORK/apply.log" ||
			{ cat "$WORK/apply.log" >&2; return 1; }
		echo xdp ;;
	xdpfw_set)
		# One drop rule on the synthetic set (bench/synth.h): 198.18.0.7 is in its 198.18.0.0/24.
		"$B/mksynth" v4 "$SET_ELEMENTS" list >"$WORK/set.txt"
		printf 'interfaces:\n  - name: wb\n    mode: native\nsets:\n  big:\n    file: set.txt\nrules:\n  - name: big\n    src: "@big"\n    action: drop\n' >"$WORK/wire.yaml"
		nsx "$XDPFW" --pin-dir "$WORK/bpffs/xdpfw" apply "$WORK/wire.yaml" 2>"$WORK/apply.log" ||
			{ cat "$WORK/apply.log" >&2; return 1; }
		echo xdp ;;
	nft_ingress)
		nsx ethtool -K wb gro on
		nsx nft -f - <<-EOF
		table netdev xfb {
			counter c {}
			set src { type ipv4_addr; elements = { $(nft_set) } }
			chain in { type filter hook ingress device wb priority 0; ip saddr @src counter name c drop; }
		}
		EOF
		echo nft_netdev ;;
	nft_input)
		nsx ethtool -K wb gro on
		nsx nft -f - <<-EOF
		table inet xfb {
			counter c {}
			set src { type ipv4_addr; elements = { $(nft_set) } }
			chain in { type filter hook input priority 0; ip saddr @src counter name c drop; }
		}
		EOF
		echo nft_inet ;;
	iptables_raw)
		nsx ethtool -K wb gro on
		nft_set | tr -d ' ' | tr , '\n' | sed 's/^/add xfb /' |
			{ echo "create xfb hash:ip family inet maxelem 1048576"; cat; } | nsx ipset restore
		nsx "$IPT" -t raw -A PREROUTING -m set --match-set xfb src -j DROP
		echo ipt ;;
	esac
}

drops() {
	case $1 in
	xdp) xdp_drops ;;
	xdpfw) nsx "$XDPFW" --pin-dir "$WORK/bpffs/xdpfw" --json stats |
		tr -d ' \n' | grep -o '"drop_rule":{"packets":[0-9]*' | grep -o '[0-9]*$' ;;
	nft_netdev) nsx nft list counter netdev xfb c | awk '/packets/ {print $2}' ;;
	nft_inet) nsx nft list counter inet xfb c | awk '/packets/ {print $2}' ;;
	ipt) nsx "$IPT" -t raw -L PREROUTING -vnx | awk 'NR==3 {print $1}' ;;
	esac
}

# The events reader of xdpfw_log, on the CPU the generator leaves free, once it holds a ring.
reader_start() {
	taskset -c "$READER_CPU" "$XDPFW" --pin-dir "$WORK/bpffs/xdpfw" events --json \
		>"$WORK/events.json" 2>"$WORK/events.err" &
	READER=$!
	for _ in $(seq 1 100); do
		[ "$("$B/evpace" "$WORK/bpffs/xdpfw" readers | cut -d, -f2)" -gt 0 ] && return 0
		kill -0 "$READER" 2>/dev/null || break
		sleep 0.05
	done
	echo "bench: xdpfw events did not start: $(head -c 300 "$WORK/events.err")" >&2
	return 1
}

# Stops the reader once it printed every event sent (or 3 s passed); "events,..." when it ran.
reader_stop() {
	[ -n "$READER" ] || return 0
	local sent lost lines=0
	IFS=, read -r _ sent _ lost < <("$B/evpace" "$WORK/bpffs/xdpfw" stats) || true
	for _ in $(seq 1 60); do
		lines=$(wc -l <"$WORK/events.json")
		[ "$lines" -ge "$((${sent:-0} - ${lost:-0}))" ] && break
		sleep 0.05
	done
	kill -INT "$READER" 2>/dev/null || true
	wait "$READER" 2>/dev/null || true
	READER=
	echo "events,xdpfw_log,$(wc -l <"$WORK/events.json"),${sent:-},${lost:-},$LOG_RATE"
}

event_stats() { if [ -n "$READER" ]; then "$B/evpace" "$WORK/bpffs/xdpfw" stats | cut -d, -f2-; fi; }

for c in $CASES; do
	setup
	if how=$(load "$c") && { [ "$c" != xdpfw_log ] || reader_start; }; then
		for rep in $(seq 1 "$REPS"); do
			e0=$(event_stats)
			d0=$(drops "$how") s0=$(softirq_ticks)
			out=$(taskset -c "$CPU" ip netns exec "$G" "$B/wiregen" "$B" wa "$SECS")
			d1=$(drops "$how") s1=$(softirq_ticks)
			e1=$(event_stats)
			IFS=, read -r _ sent secs <<<"$out"
			echo "wire,$c,$rep,$((d1 - d0)),$secs,$((s1 - s0)),$sent"
			if [ -n "$e0" ]; then
				awk -v c="$c" -v r="$rep" -v a="$e0" -v b="$e1" 'BEGIN {
					split(a, x, ","); split(b, y, ",")
					printf "logstat,%s,%s,%d,%d,%d\n", c, r, y[1] - x[1], y[2] - x[2], y[3] - x[3] }'
			fi
		done
		reader_stop
	else
		echo "bench: wire case $c could not be set up" >&2
	fi
	[ "${c#xdpfw}" != "$c" ] && nsx "$XDPFW" --pin-dir "$WORK/bpffs/xdpfw" down >/dev/null 2>&1
	teardown
done

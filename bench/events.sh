#!/bin/bash
# Issue 11's events target: `xdpfw events --json` follows a config whose rule
# on 198.18.0.7 says `log: true`, with log_rate twice RATE, while
# bench/evpace runs the pinned program on that source's frame RATE times a
# second for SECONDS (BPF_PROG_TEST_RUN, 100 runs a call, every 1 ms at
# RATE 100k), on the CPU the reader does not use. The program is attached to
# a veth of a namespace of its own, so that the runs skip the XDP
# dispatcher's rebuild (bench/hold.h). A fresh reader each repetition, stopped
# once it printed every event sent (or 3 s after the last was sent).
# usage: bench/events.sh REPS RATE SECONDS   Prints CSV:
#   events,REP,PACKETS,SECONDS,SENT,SUPPRESSED,LOST,LINES,NAMED,LAG_MS
#   (NAMED: lines that name the rule, "r7"; LAG_MS: the most the pacer fell
#   behind, bench/evpace; or missing,REASON)
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
B=$ROOT/build/bench
XDPFW=${XDPFW:-$ROOT/build/xdpfw}
REPS=$1 RATE=$2 SECS=$3
BATCH=100
CPU=${BENCH_CPU:-1}
READER_CPU=$((CPU == 0 ? 1 : 0))
WORK=$(mktemp -d /tmp/xfb-events.XXXXXX)
NS=xfbev-$$
# shellcheck source=ctl_lib.sh
. "$ROOT/bench/ctl_lib.sh"
ctl_setup
READER=
ev_cleanup() {
	[ -z "$READER" ] || ctl_stop "$READER"
	ctl_cleanup
}
trap ev_cleanup EXIT

pin=$WORK/bpffs/events
ip netns add "$NS"
ip -n "$NS" link add xfbe0 type veth peer name xfbe1
ip -n "$NS" link set xfbe0 up
ip -n "$NS" link set xfbe1 up
MKCONF_LOG=7 MKCONF_SETTINGS="log_rate: $((2 * RATE))/s" \
	"$ROOT/bench/mkconf.sh" 1000 xfbe0 native >"$WORK/xdpfw.yaml"
ip netns exec "$NS" "$XDPFW" --pin-dir "$pin" apply "$WORK/xdpfw.yaml" 2>"$WORK/apply.log" ||
	missing "xdpfw apply failed: $(head -n 1 "$WORK/apply.log" | tr , ' ')"

for rep in $(seq 1 "$REPS"); do
	taskset -c "$READER_CPU" "$XDPFW" --pin-dir "$pin" events --json \
		>"$WORK/events.json" 2>"$WORK/events.err" &
	READER=$!
	for _ in $(seq 1 100); do
		[ "$("$B/evpace" "$pin" readers | cut -d, -f2)" -gt 0 ] && break
		kill -0 "$READER" 2>/dev/null || break
		sleep 0.05
	done
	[ "$("$B/evpace" "$pin" readers | cut -d, -f2)" -gt 0 ] ||
		missing "xdpfw events holds no ring: $(head -n 1 "$WORK/events.err" | tr , ' ')"
	out=$(taskset -c "$CPU" "$B/evpace" "$pin" pace "$RATE" "$SECS" "$BATCH")
	IFS=, read -r _ packets secs sent suppressed lost <<<"$(grep '^pace,' <<<"$out")"
	lag=$(grep '^lag,' <<<"$out" | cut -d, -f2)
	for _ in $(seq 1 60); do
		[ "$(wc -l <"$WORK/events.json")" -ge "$((sent - lost))" ] && break
		sleep 0.05
	done
	kill -INT "$READER"
	wait "$READER" || true
	READER=
	lines=$(wc -l <"$WORK/events.json")
	named=$(grep -c '"r7"' "$WORK/events.json" || true)
	echo "events,$rep,$packets,$secs,$sent,$suppressed,$lost,$lines,$named,$lag"
done

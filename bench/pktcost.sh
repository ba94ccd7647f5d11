#!/bin/bash
# Runs build/bench/pktcost in a private namespace with the veths it holds
# programs on (see bench/hold.h), pinned to one CPU.
# usage: bench/pktcost.sh REPEAT REPS RULES...   (CSV on stdout)
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
NS=xfb-pc-$$
XF_OBJ=${XF_OBJ:-/usr/lib/$(gcc -dumpmachine)/bpf/xdpfilt_alw_all.o}
cleanup() { ip netns del "$NS" 2>/dev/null || true; }
trap cleanup EXIT
ip netns add "$NS"
for i in $(seq 0 11); do # BENCH_HOLD_SLOTS
	ip -n "$NS" link add "xfbh$i" type veth peer name "xfbp$i"
done
ip netns exec "$NS" taskset -c "${BENCH_CPU:-1}" \
	"$ROOT/build/bench/pktcost" "$ROOT/build/bench" "$XF_OBJ" "$@"

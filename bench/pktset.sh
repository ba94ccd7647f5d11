#!/bin/bash
# Runs build/bench/pktset in a private namespace with the veths it holds
# programs on (see bench/hold.h), pinned to one CPU (the two-CPU part pins
# its own threads).
# usage: bench/pktset.sh REPEAT REPS set|exact N [par]   (CSV on stdout)
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
NS=xfb-ps-$$
XF_OBJ=${XF_OBJ:-/usr/lib/$(gcc -dumpmachine)/bpf/xdpfilt_alw_all.o}
cleanup() { ip netns del "$NS" 2>/dev/null || true; }
trap cleanup EXIT
ip netns add "$NS"
for i in $(seq 0 11); do # BENCH_HOLD_SLOTS
	ip -n "$NS" link add "xfbh$i" type veth peer name "xfbp$i"
done
ip netns exec "$NS" taskset -c "${BENCH_CPU:-1}" \
	"$ROOT/build/bench/pktset" "$ROOT/build/bench" "$XF_OBJ" "$@"

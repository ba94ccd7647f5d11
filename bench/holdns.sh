#!/bin/bash
# Runs build/bench/pktcost or pktset in a private namespace with the veths
# they hold programs on (see bench/hold.h), pinned to one CPU (pktset's
# two-CPU part pins its own threads).
# usage: bench/holdns.sh pktcost REPEAT REPS RULES...
#        bench/holdns.sh pktset REPEAT REPS set|exact N [par]   (CSV on stdout)
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BIN=$1
shift
NS=xfb-pc-$$
XF_OBJ=${XF_OBJ:-/usr/lib/$(gcc -dumpmachine)/bpf/xdpfilt_alw_all.o}
cleanup() { ip netns del "$NS" 2>/dev/null || true; }
trap cleanup EXIT
ip netns add "$NS"
for i in $(seq 0 11); do # BENCH_HOLD_SLOTS
	ip -n "$NS" link add "xfbh$i" type veth peer name "xfbp$i"
done
ip netns exec "$NS" taskset -c "${BENCH_CPU:-1}" \
	"$ROOT/build/bench/$BIN" "$ROOT/build/bench" "$XF_OBJ" "$@"
